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
# positions kept for resuming go here, not to the user's state folder
XDG_STATE_HOME=$(mktemp -d)
export XDG_STATE_HOME
cleanup() {
  for s in "$sock" "$sock-again" "$sock-speed"; do tmux -L "$s" kill-server 2>/dev/null; done
  rm -rf "$XDG_STATE_HOME"
}
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

echo "1..16"

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
tmux -L "$sock" send-keys -t t f
wait_for '2/7  Early Use Cases  04:5' "f: forward 30 s"
tmux -L "$sock" send-keys -t t Left
wait_for '2/7  Early Use Cases  04:(3[5-9]|4)' "Left: back 15 s"
tmux -L "$sock" send-keys -t t ] ]
wait_for '1.5x' "] ]: 1.5x, shown on the status line"
tmux -L "$sock" send-keys -t t 6
wait_for '6/7  Developer Accessibility  21:0.*1.5x' "6 at 1.5x: chapter 6, still at 1.5x"
tmux -L "$sock" send-keys -t t =
wait_for '6/7  Developer Accessibility  21:[0-9]{2} / [0-9:]+  \[[#-]+\]$' "=: normal speed"
tmux -L "$sock" send-keys -t t ' '
wait_for '^\|\| 6/7' "space: pause"

quit_player() {
  tmux -L "$sock" send-keys -t t q
  for _ in $(seq 1 50); do
    # the pane goes on to the "sleep" once the player has exited
    if [ "$(tmux -L "$sock" display -p -t t '#{pane_current_command}')" = sleep ]; then return 0; fi
    sleep 0.1
  done
  return 1
}
if quit_player; then ok "q: quits"; else not_ok "q: still running"; fi

# the next day: opened again with no chapter asked for, it goes on where
# it was left, and says so on the status line (a tmux server of its own:
# a new session on a server still exiting fails)
tmux -L "$sock" kill-server 2>/dev/null
sock="$sock-again"
tmux -L "$sock" new-session -d -s t -x 110 -y 24 \
  "$player --no-audio '$episode'; sleep 30"
wait_for '6/7  Developer Accessibility  21:0' "opened again: resumes in chapter 6 at 21:0x"
if grep -q "episode" "$XDG_STATE_HOME/gst-chapters/positions.ini" 2>/dev/null; then
  ok "the position is kept under \$XDG_STATE_HOME/gst-chapters"
else
  not_ok "no positions.ini under $XDG_STATE_HOME"
fi
quit_player >/dev/null

# --speed and --no-resume
tmux -L "$sock" kill-server 2>/dev/null
sock="${sock%-again}-speed"
tmux -L "$sock" new-session -d -s t -x 110 -y 24 \
  "$player --no-audio --no-resume --speed 2 '$episode'; sleep 30"
wait_for '^> (-|1/7) .* 00:0[0-9] / .*2x$' "--no-resume --speed 2: from the start at 2x"
exit $failed
