#!/usr/bin/env bash
# The Python (PyGObject) and GJS example players, built on the GTK library
# through GObject Introspection (ChaptersGtk-1.0), under Xvfb as a person
# runs them: started with --chapter 4 the window shows "Prediction Limits"
# (a screenshot of the screen, taken with ImageMagick's import, is kept in
# the build folder); a pointer click on row 5 (xdotool, at the place the
# player says the row is) lands at 17:40. Speaks TAP.
#   test-gi-players.sh EXAMPLES-DIR EPISODE SHOT-DIR
set -u
examples=$1
episode=$2
shots=$3
export GSK_RENDERER=cairo NO_AT_BRIDGE=1 GTK_A11Y=none
n=0
failed=0
check() { n=$((n + 1)); if eval "$1"; then echo "ok $n $2"; else failed=1; echo "not ok $n $2"; echo "$out" | sed 's/^/# /'; fi; }
echo "1..8"
for lang in python gjs; do
  case $lang in
    python) player=(/usr/bin/python3 "$examples/player.py") ;;
    gjs) player=(gjs -m "$examples/player.js") ;;
  esac
  shot="$shots/player-$lang.png"
  rm -f "$shot"
  # the player, and a screenshot of the whole screen while it plays
  out=$(timeout 60 xvfb-run -a -s "-screen 0 800x600x24" bash -c '
    "$@" & pid=$!
    sleep 3.5; import -window root "'"$shot"'"; wait $pid' _ "${player[@]}" \
    --chapter 4 --quit-after 5 "$episode" 2>&1)
  check 'echo "$out" | grep -qx "title: Prediction Limits"' "$lang: --chapter 4 shows Prediction Limits"
  check '[ -s "$shot" ] && [ "$(head -c 8 "$shot" | od -An -tx1 | tr -d " ")" = 89504e470d0a1a0a ]' "$lang: a screenshot of it in $shot"
  # a click of the X pointer where the player says row 5 is
  out=$(timeout 60 xvfb-run -a -s "-screen 0 800x600x24" bash -c '
    log=$(mktemp); "$@" >"$log" 2>&1 & pid=$!
    for i in $(seq 1 100); do grep -q "^row at:" "$log" && break; sleep 0.1; done
    read -r x y < <(sed -n "s/^row at: //p" "$log")
    window=$(xdotool search --onlyvisible --name "^Chapters\$" | head -1)
    echo "# clicking at $x,$y in window ${window:-none}"
    [ -n "$window" ] && [ -n "$x" ] && xdotool mousemove --window "$window" "$x" "$y" click 1
    wait $pid; cat "$log"; rm -f "$log"' _ "${player[@]}" \
    --chapter 4 --show-row 5 --quit-after 5 "$episode" 2>&1)
  at=$(echo "$out" | sed -n 's/^jumped to: //p')
  # (the position playbin reports once the jump has prerolled; playing on,
  # the clock adds a little)
  check '[ -n "$at" ] && [ "$at" -ge 1060000000000 ] && [ "$at" -lt 1060100000000 ]' "$lang: a pointer click on row 5 lands at 17:40 (at ${at:-?} ns)"
  check 'echo "$out" | grep -qx "title: Data and Input Modalities"' "$lang: and shows Data and Input Modalities"
done
exit $failed
