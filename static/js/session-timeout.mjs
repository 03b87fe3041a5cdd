// Sessions end after a time without activity (stalking_clinic/accounts/sessions.py). This warns
// before, as the GOV.UK "timeout warning" pattern does: a modal dialog (focus moves into it, the
// page behind is out of reach), "Stay signed in" (or Escape) keeps the session, "Sign out" ends
// it. Nothing typed is lost: what is typed into a form is kept in this tab's sessionStorage while
// the page is open; if the session ends (here, or when a form is sent after it ended), it is put
// back into the same form after signing in again. sessionStorage belongs to this tab alone, is
// never sent anywhere, and goes when the tab closes; a kept draft is also dropped when someone
// else signs in, on signing out, and once it is as old as an idle session may be.

const DRAFTS_KEY = 'clinic-drafts'
const SKIPPED_TYPES = new Set(['hidden', 'password', 'file', 'submit', 'button', 'reset', 'image'])

const dialog = document.querySelector('[data-module="clinic-session-timeout"]')
const pageKey = window.location.pathname + window.location.search

function readDrafts () {
  try {
    return JSON.parse(window.sessionStorage.getItem(DRAFTS_KEY)) || {}
  } catch (error) {
    return {}
  }
}

function writeDrafts (drafts) {
  try {
    if (Object.keys(drafts).length) {
      window.sessionStorage.setItem(DRAFTS_KEY, JSON.stringify(drafts))
    } else {
      window.sessionStorage.removeItem(DRAFTS_KEY)
    }
  } catch (error) {
    // Storage full or refused: the warning still works, only the safety net is missing.
  }
}

function isLogout (form) {
  return Boolean(dialog) && form.getAttribute('action') === dialog.dataset.signOutUrl
}

// The page's forms that hold what someone types: posted forms, but not the dialog's own, nor
// sign-out.
function draftForms () {
  return Array.from(document.querySelectorAll('form')).filter(
    (form) => (form.getAttribute('method') || '').toLowerCase() === 'post' &&
      !(dialog && dialog.contains(form)) && !isLogout(form)
  )
}

function formKey (form, index) {
  return `${index}:${form.getAttribute('action') || ''}`
}

function draftFields (form) {
  return Array.from(form.elements).filter(
    (field) => field.name && !field.disabled && !SKIPPED_TYPES.has(field.type) &&
      field.name !== 'csrfmiddlewaretoken'
  )
}

function snapshot (form) {
  return draftFields(form).map((field) => {
    if (field.type === 'checkbox' || field.type === 'radio') {
      return { n: field.name, v: field.value, c: field.checked }
    }
    if (field.type === 'select-multiple') {
      return { n: field.name, m: Array.from(field.selectedOptions, (option) => option.value) }
    }
    return { n: field.name, v: field.value }
  })
}

function keepDraft (form) {
  const forms = draftForms()
  const index = forms.indexOf(form)
  if (index < 0 || !dialog) return
  const drafts = readDrafts()
  const draft = drafts[pageKey] || { forms: {} }
  draft.user = dialog.dataset.user
  draft.keepFor = Number(dialog.dataset.idleSeconds) * 1000
  draft.savedAt = Date.now()
  draft.interrupted = false
  draft.forms[formKey(form, index)] = snapshot(form)
  drafts[pageKey] = draft
  writeDrafts(drafts)
}

function restore (form, values) {
  const seen = {}
  for (const field of draftFields(form)) {
    if (field.type === 'checkbox' || field.type === 'radio') {
      const kept = values.find((value) => value.n === field.name && value.v === field.value)
      // A click, not a property: GOV.UK Frontend's conditional reveals follow clicks.
      if (kept && kept.c !== field.checked) field.click()
      continue
    }
    const same = values.filter((value) => value.n === field.name)
    const kept = same[seen[field.name] || 0]
    seen[field.name] = (seen[field.name] || 0) + 1
    if (!kept) continue
    if (field.type === 'select-multiple') {
      for (const option of field.options) option.selected = kept.m.includes(option.value)
    } else {
      field.value = kept.v
    }
    field.dispatchEvent(new Event('input', { bubbles: true }))
    field.dispatchEvent(new Event('change', { bubbles: true }))
  }
}

function showRestoredBanner () {
  const main = document.querySelector('main')
  if (!main) return
  const banner = document.createElement('div')
  banner.className = 'govuk-notification-banner'
  banner.setAttribute('role', 'alert')
  banner.dataset.testid = 'restored-input'
  const header = document.createElement('div')
  header.className = 'govuk-notification-banner__header'
  const title = document.createElement('h2')
  title.className = 'govuk-notification-banner__title'
  title.textContent = 'Important'
  header.append(title)
  const content = document.createElement('div')
  content.className = 'govuk-notification-banner__content'
  const text = document.createElement('p')
  text.className = 'govuk-notification-banner__heading'
  text.textContent = 'We put back what you had typed before you were signed out. It is not saved yet: check it, then save it.'
  content.append(text)
  banner.append(header, content)
  main.prepend(banner)
}

// Called when the session ends: every kept draft of this tab waits for the next sign-in.
function markInterrupted () {
  const drafts = readDrafts()
  const now = Date.now()
  for (const draft of Object.values(drafts)) {
    if (!draft.interrupted) {
      draft.interrupted = true
      draft.interruptedAt = now
    }
  }
  writeDrafts(drafts)
}

function dropStale (drafts) {
  const now = Date.now()
  for (const [key, draft] of Object.entries(drafts)) {
    if (draft.interrupted && now - draft.interruptedAt > draft.keepFor) delete drafts[key]
  }
}

function startDrafts () {
  const drafts = readDrafts()
  dropStale(drafts)
  if (!dialog) {
    // Not signed in. The sign-in page says whether the session ended by itself.
    if (document.querySelector('[data-session-ended]')) {
      writeDrafts(drafts)
      markInterrupted()
    } else {
      writeDrafts(drafts)
    }
    return
  }
  const user = dialog.dataset.user
  const here = drafts[pageKey]
  for (const [key, draft] of Object.entries(drafts)) {
    // A draft left by a page that was then saved or left is done with; one typed before the
    // session ended waits for its own page (unless someone else signed in).
    if (draft.user !== user || !draft.interrupted || key === pageKey) delete drafts[key]
  }
  writeDrafts(drafts)
  if (here && here.interrupted && here.user === user) {
    const forms = draftForms()
    let restored = false
    forms.forEach((form, index) => {
      const values = here.forms[formKey(form, index)]
      if (values) {
        restore(form, values)
        restored = true
        keepDraft(form)
      }
    })
    if (restored) showRestoredBanner()
  }

  const track = (event) => {
    const form = event.target.form
    if (form) keepDraft(form)
  }
  document.addEventListener('input', track)
  document.addEventListener('change', track)
  document.addEventListener('submit', (event) => {
    if (isLogout(event.target)) {
      writeDrafts({})
    } else {
      keepDraft(event.target)
    }
  }, true)
}

function formatDuration (milliseconds) {
  const seconds = Math.max(0, Math.ceil(milliseconds / 1000))
  if (seconds >= 60) {
    const minutes = Math.ceil(seconds / 60)
    return `${minutes} minute${minutes === 1 ? '' : 's'}`
  }
  return `${seconds} second${seconds === 1 ? '' : 's'}`
}

function startWarning () {
  const warningMs = Number(dialog.dataset.warningSeconds) * 1000
  const keepAlive = dialog.querySelector('[data-timeout-keep-alive]')
  const countdowns = dialog.querySelectorAll('[data-timeout-countdown]')
  const announcement = dialog.querySelector('[data-timeout-announcement]')
  let deadline = Date.now() + Number(dialog.dataset.secondsLeft) * 1000
  let timer = null
  let ticker = null
  let lastAnnounced = ''
  let returnFocusTo = null

  const signedOut = () => {
    // Keep what is on the page now, then let the server end the session and say why.
    for (const form of draftForms()) keepDraft(form)
    markInterrupted()
    const next = encodeURIComponent(pageKey)
    window.location.assign(`${dialog.dataset.signInUrl}?next=${next}`)
  }

  // The server's word on time left: another tab in use may have kept the session going.
  const ask = async (url, options = {}) => {
    try {
      const response = await window.fetch(url, {
        credentials: 'same-origin',
        redirect: 'manual',
        headers: { Accept: 'application/json' },
        ...options
      })
      if (!response.ok) return 0
      const data = await response.json()
      return data.seconds_left * 1000
    } catch (error) {
      return null // no answer (offline): go by the clock of this page
    }
  }

  const update = () => {
    const left = deadline - Date.now()
    const text = formatDuration(left)
    for (const countdown of countdowns) countdown.textContent = text
    // Screen readers hear the time left each minute, then every 15 seconds in the last minute.
    const spoken = left > 60000 ? text : formatDuration(Math.ceil(left / 15000) * 15000)
    if (spoken !== lastAnnounced) {
      lastAnnounced = spoken
      announcement.textContent = `You will be signed out in ${spoken}.`
    }
  }

  const close = () => {
    window.clearInterval(ticker)
    if (dialog.open) dialog.close()
    if (returnFocusTo && document.contains(returnFocusTo)) returnFocusTo.focus()
  }

  const open = () => {
    const final = deadline - Date.now() < warningMs && dialog.dataset.final === 'true'
    dialog.querySelector('[data-timeout-idle]').hidden = final
    dialog.querySelector('[data-timeout-final]').hidden = !final
    keepAlive.hidden = final
    if (!dialog.open) {
      returnFocusTo = document.activeElement
      lastAnnounced = ''
      update()
      dialog.showModal()
    }
    window.clearInterval(ticker)
    ticker = window.setInterval(update, 1000)
  }

  const check = async () => {
    const left = await ask(dialog.dataset.statusUrl)
    if (left !== null) deadline = Date.now() + left
    schedule()
  }

  function schedule () {
    window.clearTimeout(timer)
    const left = deadline - Date.now()
    if (left <= 0) {
      // The end: ask once more (another tab may have kept the session), else sign out.
      ask(dialog.dataset.statusUrl).then((answer) => {
        if (answer === null || answer <= 0) {
          signedOut()
        } else {
          deadline = Date.now() + answer
          close()
          schedule()
        }
      })
      return
    }
    if (left <= warningMs) {
      open()
      timer = window.setTimeout(schedule, left + 500)
    } else {
      if (dialog.open) close()
      // Just before the warning is due, check with the server, which may know of activity
      // elsewhere; then warn, or wait again.
      timer = window.setTimeout(check, left - warningMs)
    }
  }

  const staySignedIn = async () => {
    const left = await ask(keepAlive.action, { method: 'POST', body: new FormData(keepAlive) })
    if (left === 0) {
      signedOut()
      return
    }
    if (left !== null) deadline = Date.now() + left
    if (deadline - Date.now() <= warningMs) {
      // Only the limit since signing in is left: say so, and offer nothing that cannot work.
      dialog.dataset.final = 'true'
      open()
      schedule()
      return
    }
    close()
    schedule()
  }

  keepAlive.addEventListener('submit', (event) => {
    event.preventDefault()
    staySignedIn()
  })
  dialog.addEventListener('cancel', (event) => {
    // Escape: the same as "Stay signed in" (the pattern's rule), never a silent dismissal.
    event.preventDefault()
    if (!keepAlive.hidden) staySignedIn()
  })
  // Timers of hidden tabs run late: coming back to the tab, catch up.
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') schedule()
  })
  schedule()
}

startDrafts()
if (dialog) startWarning()
