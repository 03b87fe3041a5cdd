// Police log import page: follow the import's progress, then reload to show its summary.
const box = document.querySelector('[data-module="clinic-import-progress"]')

if (box && box.dataset.finished !== 'true') {
  const bar = box.querySelector('progress')
  const percent = box.querySelector('[data-progress-percent]')
  const status = box.querySelector('[data-testid="import-status"]')

  const poll = async () => {
    try {
      const response = await fetch(box.dataset.progressUrl, { credentials: 'same-origin' })
      if (response.ok) {
        const data = await response.json()
        bar.value = data.percent
        percent.textContent = data.percent
        status.textContent = data.status_label
        if (data.finished) {
          window.location.reload()
          return
        }
      }
    } catch (error) {
      // A dropped connection: try again on the next tick.
    }
    window.setTimeout(poll, 1000)
  }
  window.setTimeout(poll, 500)
}
