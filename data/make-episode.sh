#!/usr/bin/env bash
# Synthesises a stand-in for the seed episode: a quiet, never-repeating bed
# (brown noise) with each chapter title spoken by espeak-ng at its start, and
# encodes it as MP3 CBR, MP3 VBR, M4A (AAC), Opus, FLAC and MKA (Vorbis), each
# with the chapters embedded by ffmpeg.
#
#   make-episode.sh CHAPTERS.ffmetadata OUTDIR [SECONDS]
#
# Outputs OUTDIR/episode-cbr.mp3, episode-vbr.mp3, episode.m4a, episode.opus,
# episode.flac, episode.mka, episode.ogg (Vorbis), episode-laced.mka (the
# Ogg Vorbis remuxed by mkvmerge, which laces several packets per block),
# and uneven.flac and
# uneven.ogg (a minute of sweep, which FLAC and Vorbis pack five times
# tighter, then a minute of noise: byte positions far from proportional to
# time, for the seek table's tests). Reruns are skipped when
# the outputs are newer than the chapters and this script.
set -euo pipefail

chapters=$(realpath "$1")
out=$2
duration=${3:-2666}
rate=44100
mkdir -p "$out"
out=$(realpath "$out")
outputs=(episode-cbr.mp3 episode-vbr.mp3 episode.m4a episode.opus episode.flac episode.mka episode.ogg episode-laced.mka uneven.flac uneven.ogg)

uptodate=1
for f in "${outputs[@]}"; do
  if [ ! -s "$out/$f" ] || [ "$out/$f" -ot "$chapters" ] || [ "$out/$f" -ot "$0" ]; then
    uptodate=0
  fi
done
[ "$uptodate" = 1 ] && exit 0

for tool in sox espeak-ng ffmpeg mkvmerge; do
  command -v "$tool" >/dev/null || { echo "make-episode.sh: $tool is not installed" >&2; exit 1; }
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# chapter starts (ms) and titles from the FFMETADATA1 file
awk -F= '
  /^\[CHAPTER\]/ { inch=1; next }
  inch && $1=="START" { start=$2 }
  inch && $1=="title" { sub(/^title=/, ""); print start "\t" $0; inch=0 }
' "$chapters" > "$work/list.tsv"

sox -R -n -r $rate -c 1 -b 16 "$work/bed.wav" synth "$duration" brownnoise vol 0.06

mix=(-v 1 "$work/bed.wav")
n=0
intro_ms=0
{ printf '%s\t%s\n' "$intro_ms" "World Models Are Here"; cat "$work/list.tsv"; } > "$work/spoken.tsv"
while IFS=$'\t' read -r start_ms title; do
  n=$((n + 1))
  espeak-ng -s 150 -w "$work/t$n.wav" "$title"
  sox "$work/t$n.wav" -r $rate -c 1 -b 16 "$work/p$n.wav" pad "$(awk "BEGIN{printf \"%.3f\", $start_ms/1000}")"
  mix+=(-v 0.7 "$work/p$n.wav")
done < "$work/spoken.tsv"
sox -m "${mix[@]}" -b 16 "$work/episode.wav" trim 0 "$duration"

enc() {
  local name=$1; shift
  ffmpeg -nostdin -hide_banner -loglevel error -y -i "$work/episode.wav" -i "$chapters" \
    -map 0:a -map_metadata 1 -map_chapters 1 "$@" "$work/$name"
  mv "$work/$name" "$out/$name"
}
enc episode-cbr.mp3 -c:a libmp3lame -b:a 128k -id3v2_version 3 &
enc episode-vbr.mp3 -c:a libmp3lame -q:a 4 -id3v2_version 3 &
enc episode.m4a -c:a aac -b:a 96k &
wait
enc episode.opus -c:a libopus -b:a 48k &
# ffmpeg writes no chapters into FLAC: give it the CHAPTERxxx comments
flac_tags=()
n=0
while IFS=$'\t' read -r start_ms title; do
  n=$((n + 1))
  stamp=$(awk "BEGIN{s=$start_ms/1000; printf \"%02d:%02d:%06.3f\", s/3600, (s%3600)/60, s%60}")
  flac_tags+=(-metadata "$(printf 'CHAPTER%03d' $n)=$stamp" -metadata "$(printf 'CHAPTER%03dNAME' $n)=$title")
done < "$work/list.tsv"
enc episode.flac -c:a flac "${flac_tags[@]}" &
enc episode.mka -c:a libvorbis -q:a 3 &
wait
# nor into Ogg Vorbis: the same comments there
enc episode.ogg -c:a libvorbis -q:a 3 "${flac_tags[@]}" &
sox -n -r $rate -c 1 -b 16 "$work/sweep.wav" synth 60 sine 100-3000 vol 0.5
sox -n -R -r $rate -c 1 -b 16 "$work/noise.wav" synth 60 whitenoise vol 0.5
sox "$work/sweep.wav" "$work/noise.wav" "$work/uneven.wav"
ffmpeg -nostdin -hide_banner -loglevel error -y -i "$work/uneven.wav" -c:a flac "$work/uneven.flac"
ffmpeg -nostdin -hide_banner -loglevel error -y -i "$work/uneven.wav" -c:a libvorbis -q:a 3 "$work/uneven.ogg"
mv "$work/uneven.flac" "$work/uneven.ogg" "$out/"
wait
mkvmerge --quiet --chapter-charset UTF-8 -o "$work/episode-laced.mka" "$out/episode.ogg"
mv "$work/episode-laced.mka" "$out/"
for f in "${outputs[@]}"; do [ -s "$out/$f" ] || { echo "make-episode.sh: $f was not written" >&2; exit 1; }; done
echo "make-episode.sh: wrote ${outputs[*]} to $out"
