#!/usr/bin/env bash
# Synthesises the locator: two minutes of band-limited white noise at
# 48 kHz, a signal in which a window of a few hundred samples fits in one
# place only, so that every decoded buffer can be located on its own in
# the source (the exactness tests; speech over a quiet bed correlates too
# weakly for that). Encodes it as every codec the seek table serves.
#
#   make-locator.sh OUTDIR
#
# Outputs OUTDIR/locator.wav (the source) and locator-cbr.mp3,
# locator-vbr.mp3, locator.m4a, locator.opus, locator.flac, locator.ogg
# (Vorbis) and locator.mka (Vorbis); and five seconds of video with sound
# in the containers the seek table must leave alone: video.mp4 (H.264,
# AAC), video.mkv (H.264, MP3), video.webm (VP8, Vorbis) and video.avi
# (MPEG-4, MP3). Reruns are skipped when the outputs are newer than this
# script.
set -euo pipefail

out=$1
mkdir -p "$out"
out=$(realpath "$out")
outputs=(locator.wav locator-cbr.mp3 locator-vbr.mp3 locator.m4a locator.opus
  locator.flac locator.ogg locator.mka video.mp4 video.mkv video.webm video.avi)

uptodate=1
for f in "${outputs[@]}"; do
  if [ ! -s "$out/$f" ] || [ "$out/$f" -ot "$0" ]; then
    uptodate=0
  fi
done
[ "$uptodate" = 1 ] && exit 0

for tool in sox ffmpeg; do
  command -v "$tool" >/dev/null || { echo "make-locator.sh: $tool is not installed" >&2; exit 1; }
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# white noise under 10 kHz: what every codec here keeps at these rates
sox -R -n -r 48000 -c 1 -b 16 "$work/locator.wav" synth 120 whitenoise vol 0.4 lowpass 10000
enc() {
  local name=$1; shift
  ffmpeg -nostdin -hide_banner -loglevel error -y -i "$work/locator.wav" \
    -map_metadata -1 "$@" "$work/$name"
}
enc locator-cbr.mp3 -c:a libmp3lame -b:a 128k &
enc locator-vbr.mp3 -c:a libmp3lame -q:a 4 &
wait
enc locator.m4a -c:a aac -b:a 96k &
enc locator.opus -c:a libopus -b:a 64k &
wait
enc locator.flac -c:a flac &
enc locator.ogg -c:a libvorbis -q:a 3 &
enc locator.mka -c:a libvorbis -q:a 3 &
wait
video() {
  local name=$1; shift
  ffmpeg -nostdin -hide_banner -loglevel error -y \
    -f lavfi -i testsrc=size=160x120:rate=10 -i "$work/locator.wav" -t 5 \
    -map 0:v -map 1:a "$@" "$work/$name"
}
video video.mp4 -c:v libx264 -pix_fmt yuv420p -c:a aac &
video video.mkv -c:v libx264 -pix_fmt yuv420p -c:a libmp3lame &
wait
video video.webm -c:v libvpx -c:a libvorbis &
video video.avi -c:v mpeg4 -c:a libmp3lame &
wait
for f in "${outputs[@]}"; do
  [ -s "$work/$f" ] || { echo "make-locator.sh: $f was not written" >&2; exit 1; }
  mv "$work/$f" "$out/$f"
done
echo "make-locator.sh: wrote ${outputs[*]} to $out"
