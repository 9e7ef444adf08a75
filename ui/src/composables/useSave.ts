// Saving a form whose record someone else may change meanwhile: a 409
// answer reloads the record and keeps the dialog open with what was typed
// and a note, so the user checks the latest content and saves again.
import { ref } from 'vue'
import { ElMessage } from 'element-plus'
import type { FormErrors } from '../api/formErrors'
import { isConflict, isStale } from '../api/forms'

export interface SaveOptions {
  /** reload fetches the record again after a 409. */
  reload: () => Promise<unknown>
  /** note replaces the form's message after the reload (given the server's). */
  note: string | ((message: string) => string)
  /** staleOnly reloads only for an outdated version (fields.version), not for every 409. */
  staleOnly?: boolean
  /** quiet keeps the server's message off the pop-up (it shows in the form only). */
  quiet?: boolean
  /** reloaded runs after the reload (to tell a parent list, say). */
  reloaded?: () => void
}

/** useSave gives a form saving (for the button) and run(fn): fn is the
 * request and what follows success; an error is shown on the form, and a
 * 409 reloads the record as SaveOptions say. run reports success. */
export function useSave(errors: FormErrors, opts: SaveOptions) {
  const saving = ref(false)
  async function run(fn: () => Promise<unknown>): Promise<boolean> {
    saving.value = true
    try {
      await fn()
      return true
    } catch (e) {
      errors.show(e)
      if (opts.staleOnly ? isStale(e) : isConflict(e)) {
        if (!opts.quiet) ElMessage.error(errors.message)
        await opts.reload().catch(() => null)
        opts.reloaded?.()
        errors.message = typeof opts.note === 'string' ? opts.note : opts.note(errors.message)
      }
      return false
    } finally {
      saving.value = false
    }
  }
  return { saving, run }
}
