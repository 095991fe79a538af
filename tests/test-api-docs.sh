#!/usr/bin/env bash
# The API reference gi-docgen made for both libraries (the build runs it
# with warnings fatal): every class and function has its page, and
# `gi-docgen check` finds nothing undocumented. Speaks TAP.
#   test-api-docs.sh BUILD_DIR
set -u
build=$1
. "$(dirname "$0")/tap.sh"

ref=$build/docs/reference
echo "1..6"
check "GstChapters-1.0 reference: index, List and Chapter classes, load" \
  'grep -q "GstChapters" "$ref/GstChapters-1.0/index.html" && test -f "$ref/GstChapters-1.0/class.List.html" && test -f "$ref/GstChapters-1.0/class.Chapter.html" && grep -q "gst_chapters_list_load" "$ref/GstChapters-1.0/type_func.List.load.html"'
check "GstChapters-1.0 reference: the overview page, its links and examples" \
  'grep -q "href=\"type_func.List.load.html\"" "$ref/GstChapters-1.0/gstchapters-overview.html" && grep -q "gst_chapters_list_lookup" "$ref/GstChapters-1.0/gstchapters-overview.html"'
check "ChaptersGtk-1.0 reference: Model, SeekBar and its seek signal" \
  'test -f "$ref/ChaptersGtk-1.0/class.Model.html" && test -f "$ref/ChaptersGtk-1.0/class.SeekBar.html" && test -f "$ref/ChaptersGtk-1.0/signal.SeekBar.seek.html"'
check "ChaptersGtk-1.0 links to GstChapters-1.0" \
  'grep -q "data-link=\"class.List.html\" data-namespace=\"GstChapters\"" "$ref/ChaptersGtk-1.0/method.Model.set_chapters.html"'
undocumented() {
  gi-docgen check "$@" 2>&1 | grep WARNING | sed 's/^/# /'
}
out=$(undocumented "$build/plugin/GstChapters-1.0.gir")
check "gi-docgen check GstChapters-1.0: everything documented" '[ -z "$out" ] || { echo "$out"; false; }'
out=$(undocumented --add-include-path "$build/plugin" "$build/src/ChaptersGtk-1.0.gir")
check "gi-docgen check ChaptersGtk-1.0: everything documented" '[ -z "$out" ] || { echo "$out"; false; }'
exit $failed
