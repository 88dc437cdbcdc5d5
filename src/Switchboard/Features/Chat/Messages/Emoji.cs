using System.Globalization;
using System.Text;

namespace Switchboard.Features.Chat.Messages;

/// <summary>Is a reaction exactly one emoji? One grapheme cluster built only from emoji code points.</summary>
public static class Emoji
{
    private const int ZeroWidthJoiner = 0x200D;
    private const int Vs15 = 0xFE0E;
    private const int Vs16 = 0xFE0F;
    private const int CombiningKeycap = 0x20E3;

    public static bool IsSingleEmoji(string? value)
    {
        if (string.IsNullOrEmpty(value) || value.Length > 64 || new StringInfo(value).LengthInTextElements != 1)
        {
            return false;
        }
        var runes = value.EnumerateRunes().ToList();
        var first = runes[0];

        // Keycaps: 1️⃣ #️⃣ *️⃣ are a digit, '#' or '*' with an enclosing keycap.
        if (first.Value is (>= '0' and <= '9') or '#' or '*')
        {
            return runes.Count is 2 or 3 && runes[^1].Value == CombiningKeycap && (runes.Count == 2 || runes[1].Value == Vs16);
        }
        // Flags are exactly two regional indicators.
        if (IsRegionalIndicator(first) || runes.Any(IsRegionalIndicator))
        {
            return runes.Count == 2 && IsRegionalIndicator(first) && IsRegionalIndicator(runes[1]);
        }
        // A few emoji are punctuation or math symbols in Unicode (‼ ⁉ ↔ 〰 〽); they count when asked for
        // in emoji presentation.
        var startsAsEmoji = IsEmojiBase(first) || (runes.Count > 1 && runes[1].Value == Vs16 && first.Value > 0x7F
            && Rune.GetUnicodeCategory(first) is UnicodeCategory.OtherPunctuation or UnicodeCategory.MathSymbol or UnicodeCategory.DashPunctuation);
        if (!startsAsEmoji)
        {
            return false;
        }
        foreach (var rune in runes.Skip(1))
        {
            var ok = rune.Value is ZeroWidthJoiner or Vs15 or Vs16 or CombiningKeycap
                || IsSkinTone(rune)
                || IsTag(rune)
                || IsEmojiBase(rune);
            if (!ok)
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Pictographs and symbols (regional indicators for flags are symbols too).</summary>
    private static bool IsEmojiBase(Rune rune) =>
        rune.Value > 0x7F && Rune.GetUnicodeCategory(rune) == UnicodeCategory.OtherSymbol;

    private static bool IsRegionalIndicator(Rune rune) => rune.Value is >= 0x1F1E6 and <= 0x1F1FF;

    private static bool IsSkinTone(Rune rune) => rune.Value is >= 0x1F3FB and <= 0x1F3FF;

    /// <summary>Tag characters spell out subdivision flags (🏴 + "gbeng" + cancel tag).</summary>
    private static bool IsTag(Rune rune) => rune.Value is >= 0xE0020 and <= 0xE007F;
}
