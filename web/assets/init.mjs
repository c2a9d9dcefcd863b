// Starts GOV.UK Frontend's components. The page works without it; it is a
// module file rather than the template's inline script because the
// Content-Security-Policy allows no inline script.
import { initAll } from './govuk-frontend.min.js'

document.body.classList.add('js-enabled', 'govuk-frontend-supported')
initAll()
