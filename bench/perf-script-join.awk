# One line per `perf script` record, `comm;outermost;…;leaf` (for `| sort | uniq -c`), or with
# -v count=1 the folded stacks themselves (`stack count`, an awk hash). A baseline in bench/collapse.ts.
/^[^ \t]/ { comm = $1; stack = ""; next }
/^[ \t]/ {
  line = $0
  sub(/^[ \t]+[0-9a-f]+ /, "", line)
  sub(/ \([^()]*\)$/, "", line)
  sub(/\+0x[0-9a-f]+$/, "", line)
  stack = (stack == "") ? line : line ";" stack
  next
}
/^$/ { emit() }
END {
  emit()
  if (count) for (s in n) print s, n[s]
}
function emit() {
  if (comm == "") return
  if (count) n[comm ";" stack]++
  else print comm ";" stack
  comm = ""
}
