#!/usr/bin/env bash
# The terminal player driven as a person would: in tmux, keys sent, the
# screen read back. Speaks TAP.
#   test-player-tty.sh CHAPTERPLAYER EPISODE
set -u
player=$1
episode=$2
sock="chapters-test-$$"
n=0
failed=0

ok() { n=$((n + 1)); echo "ok $n $1"; }
not_ok() { n=$((n + 1)); failed=1; echo "not ok $n $1"; echo "# screen:"; tmux -L "$sock" capture-pane -p -t t 2>/dev/null | sed 's/^/#   /'; }
cleanup() { tmux -L "$sock" kill-server 2>/dev/null; }
trap cleanup EXIT

status_line() { tmux -L "$sock" capture-pane -p -t t 2>/dev/null | grep -E '^(>|\|\|) ' | tail -1; }

# wait_for PATTERN WHAT: the status line matches PATTERN within 10 s
wait_for() {
  for _ in $(seq 1 100); do
    if status_line | grep -qE "$1"; then ok "$2"; return 0; fi
    sleep 0.1
  done
  not_ok "$2 (wanted /$1/, status: $(status_line))"
}

echo "1..8"

out=$(timeout 30 "$player" --no-audio --chapter "PREDICTION limits" "$episode" </dev/null 2>&1)
if echo "$out" | grep -q "Chapter 4: Prediction Limits" && echo "$out" | grep -q "^Stopped in chapter 4"; then
  ok "without a terminal: plain lines, plays a few seconds of chapter 4 and quits"
else
  not_ok "without a terminal: $out"
fi

tmux -L "$sock" new-session -d -s t -x 110 -y 24 \
  "$player --no-audio --chapter 'prediction limits' '$episode'; sleep 30"
wait_for '4/7  Prediction Limits  11:0' "starts in Prediction Limits"
tmux -L "$sock" send-keys -t t n
wait_for '5/7  Data and Input Modalities  17:4' "n: next chapter"
tmux -L "$sock" send-keys -t t p
wait_for '4/7  Prediction Limits  11:0' "p: back to the chapter before (within the threshold)"
tmux -L "$sock" send-keys -t t / d e v Enter
wait_for '6/7  Developer Accessibility  21:0' "/dev: title search"
tmux -L "$sock" send-keys -t t 2
wait_for '2/7  Early Use Cases  04:2' "2: jump to chapter 2"
tmux -L "$sock" send-keys -t t ' '
wait_for '^\|\| 2/7' "space: pause"
tmux -L "$sock" send-keys -t t q
quit=0
for _ in $(seq 1 50); do
  # the pane goes on to the "sleep" once the player has exited
  if [ "$(tmux -L "$sock" display -p -t t '#{pane_current_command}')" = sleep ]; then quit=1; break; fi
  sleep 0.1
done
if [ $quit = 1 ]; then ok "q: quits"; else not_ok "q: still running"; fi
exit $failed
