// Documents uploaded to the server (佐证材料, 案例材料): a JPEG/PNG image of
// at most 5 MB or a PDF of at most 10 MB, checked here before the upload
// and by the server for type and content.
import { ElMessage } from 'element-plus'

/** pickedDocument takes the file chosen in a file input (and clears the
 * input, so the same file can be chosen again); null, with a message, when
 * it is too large. */
export function pickedDocument(ev: Event): File | null {
  const input = ev.target as HTMLInputElement
  const file = input.files?.[0]
  input.value = ''
  if (!file) return null
  const pdf = file.type === 'application/pdf' || file.name.toLowerCase().endsWith('.pdf')
  if (file.size > (pdf ? 10 << 20 : 5 << 20)) {
    ElMessage.error(pdf ? 'PDF 文件不能超过 10 MB' : '图片不能超过 5 MB')
    return null
  }
  return file
}

/** fileForm is the multipart body of one document (field file). */
export function fileForm(file: File): FormData {
  const fd = new FormData()
  fd.append('file', file)
  return fd
}

/** kb shows a size in whole kilobytes (at least 1). */
export const kb = (n?: number) => `${Math.max(1, Math.round((n ?? 0) / 1024))} KB`
