#!/usr/bin/env bash
# The GTK player under Xvfb: started with --chapter "prediction limits" at
# 1.5x, it must show that title, list the 7 chapters, the speed and the
# elapsed and total time, and save a screenshot (kept in the build folder
# as a test artefact); opened again without a chapter, it goes on where it
# was left. Speaks TAP.
#   test-player-gtk.sh CHAPTERPLAYER-GTK EPISODE SCREENSHOT
set -u
player=$1
episode=$2
shot=$3
echo "1..8"
export GSK_RENDERER=cairo NO_AT_BRIDGE=1
# positions kept for resuming go here, not to the user's state folder
XDG_STATE_HOME=$(mktemp -d)
export XDG_STATE_HOME
trap 'rm -rf "$XDG_STATE_HOME"' EXIT
run_player() {
  rm -f "$shot"
  timeout 60 xvfb-run -a -s "-screen 0 1024x768x24" \
    "$player" --no-audio "$@" --play-for 4 --screenshot "$shot" "$episode" 2>/tmp/gtk-test-err.$$
}
first=(--chapter "prediction limits" --speed 1.5)
out=$(run_player "${first[@]}")
# xvfb-run -a can lose a race for a display number to another X server
# starting at the same moment: then try once more
if [ ! -s "$shot" ]; then
  echo "# no screenshot on the first try: $(echo "$out" | grep screenshot)"
  out=$(run_player "${first[@]}")
fi
echo "$out" | sed 's/^/# /'
n=0; failed=0
check() { n=$((n + 1)); if eval "$1"; then echo "ok $n $2"; else failed=1; echo "not ok $n $2"; sed 's/^/# /' /tmp/gtk-test-err.$$; fi; }
check 'echo "$out" | grep -qx "title: Prediction Limits"' "the big title is Prediction Limits"
check 'echo "$out" | grep -qx "chapter: Chapter 4 of 7"' "it says chapter 4 of 7"
check 'echo "$out" | grep -qx "chapters: 7"' "the list has the 7 chapters"
check '[ -s "$shot" ] && [ "$(head -c 8 "$shot" | od -An -tx1 | tr -d " ")" = 89504e470d0a1a0a ]' "a screenshot was saved to $shot"
check 'echo "$out" | grep -qx "speed: 1.5"' "it plays at 1.5x (--speed 1.5)"
check 'echo "$out" | grep -qE "^time: 11:0[0-9] / 44:[0-9]{2}$"' "elapsed and total time: 11:0x / 44:xx"
check 'echo "$out" | grep -qE "^episode: .+"' "the episode's title is shown"
# opened again, no chapter asked for: where it was left (kept in
# $XDG_STATE_HOME), at the speed asked for this time
again=$(run_player --speed 1)
echo "$again" | sed 's/^/# again: /'
check 'echo "$again" | grep -qx "title: Prediction Limits" && echo "$again" | grep -qE "^time: 11:[01][0-9] / "' "opened again: it resumes in Prediction Limits at 11:xx"
rm -f /tmp/gtk-test-err.$$
exit $failed
