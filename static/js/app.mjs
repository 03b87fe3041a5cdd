// Start GOV.UK Frontend and MoJ Frontend components on every page.
import { initAll as initGovuk } from "../build/govuk/govuk-frontend.min.js";
import { initAll as initMoj } from "../build/moj/moj-frontend.min.js";

initGovuk();
initMoj();
