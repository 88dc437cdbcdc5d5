import EmojiPicker, { EmojiStyle } from 'emoji-picker-react';

/** Loaded lazily: the picker is large. Native emoji only, so nothing is fetched from a CDN. */
export default function EmojiPickerPanel({ onPick }: { onPick: (emoji: string) => void }) {
  return (
    <EmojiPicker
      emojiStyle={EmojiStyle.NATIVE}
      lazyLoadEmojis
      previewConfig={{ showPreview: false }}
      width={300}
      height={360}
      onEmojiClick={(data) => onPick(data.emoji)}
    />
  );
}
