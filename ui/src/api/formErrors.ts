// A form's API error: the message and the messages by field, and the
// message of a failed action (not a form).
import { reactive } from 'vue'
import { ElMessage } from 'element-plus'
import { ApiError } from './client'
import { isConflict } from './forms'

/** FormErrors holds an API error for a form: a message and the field messages. */
export class FormErrors {
  fields: Record<string, string> = {}
  message = ''
  clear() {
    this.fields = {}
    this.message = ''
  }
  /** show records an error; a 409 (someone else changed the record) also pops a message. */
  show(e: unknown, remap: (k: string) => string = (k) => k) {
    const a = e as ApiError
    const f: Record<string, string> = {}
    for (const [k, v] of Object.entries(a.fields ?? {})) f[remap(k)] = v
    this.fields = f
    this.message = a.message ?? String(e)
  }
  of(field: string): string {
    return this.fields[field] ?? ''
  }
}

/** newErrors is a reactive FormErrors for one form. */
export function newErrors(): FormErrors {
  return reactive(new FormErrors()) as FormErrors
}

/** failed shows an error of an action (not a form) and, on 409, calls reload. */
export function failed(e: unknown, reload?: () => unknown) {
  ElMessage.error((e as Error).message)
  if (isConflict(e) && reload) reload()
}

/** dialogWidth fits a dialog on a phone and keeps it narrow on a desktop. */
export const dialogWidth = 'min(640px, 96vw)'
