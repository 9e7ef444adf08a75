// Wide tables on a phone: a table whose columns do not fit scrolls
// sideways, which nothing on a phone shows. Each el-table, and each plain
// table's scrolling box of class scroll-box (一户一档), gets the class scroll-x
// while it is wider than its box and scroll-end once scrolled to its right
// edge; style.css draws a shadow on the hidden side (el-table) and a
// 左右滑动查看 label while there is more to the right.

function mark(table: Element) {
  const wrap = table.querySelector('.el-table__body-wrapper .el-scrollbar__wrap')
  if (!(wrap instanceof HTMLElement)) return
  const wide = wrap.scrollWidth > wrap.clientWidth + 1
  table.classList.toggle('scroll-x', wide)
  table.classList.toggle('scroll-end', wide && wrap.scrollLeft + wrap.clientWidth >= wrap.scrollWidth - 1)
}

function markBox(box: HTMLElement) {
  const wide = box.scrollWidth > box.clientWidth + 1
  box.classList.toggle('scroll-x', wide)
  box.classList.toggle('scroll-end', wide && box.scrollLeft + box.clientWidth >= box.scrollWidth - 1)
}

let queued = false
function markAll() {
  if (queued) return
  queued = true
  requestAnimationFrame(() => {
    queued = false
    document.querySelectorAll('.el-table').forEach(mark)
    document.querySelectorAll<HTMLElement>('.scroll-box').forEach(markBox)
  })
}

/** installScrollHints keeps the scroll-x / scroll-end classes of every table current. */
export function installScrollHints() {
  new MutationObserver(markAll).observe(document.body, { childList: true, subtree: true })
  window.addEventListener('resize', markAll)
  document.addEventListener(
    'scroll',
    (e) => {
      const t = e.target
      if (t instanceof HTMLElement && t.classList.contains('scroll-box')) markBox(t)
      if (t instanceof HTMLElement && t.classList.contains('el-scrollbar__wrap')) {
        const table = t.closest('.el-table')
        if (table) mark(table)
      }
    },
    true,
  )
}
