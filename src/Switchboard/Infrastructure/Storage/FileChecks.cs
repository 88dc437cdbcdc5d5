using System.Globalization;
using System.Text;

namespace Switchboard.Infrastructure.Storage;

public static class FileChecks
{
    /// <summary>The image type a file really is, by its first bytes; null when it is none we accept as an image.</summary>
    public static string? SniffImage(ReadOnlySpan<byte> head)
    {
        // As bytes: "\x89" in a u8 string literal would be the UTF-8 encoding of U+0089 (two bytes).
        if (head.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
        {
            return "image/png";
        }
        if (head.Length >= 3 && head[0] == 0xFF && head[1] == 0xD8 && head[2] == 0xFF)
        {
            return "image/jpeg";
        }
        if (head.StartsWith("GIF87a"u8) || head.StartsWith("GIF89a"u8))
        {
            return "image/gif";
        }
        if (head.Length >= 12 && head.StartsWith("RIFF"u8) && head[8..12].SequenceEqual("WEBP"u8))
        {
            return "image/webp";
        }
        return null;
    }

    /// <summary>
    /// A client's file name made safe to keep and show: no path, no control or bidirectional
    /// override characters, at most 255 characters (the extension is kept when shortening).
    /// </summary>
    public static string CleanFileName(string? name)
    {
        var raw = name ?? "";
        var lastSeparator = raw.LastIndexOfAny(['/', '\\']);
        if (lastSeparator >= 0)
        {
            raw = raw[(lastSeparator + 1)..];
        }
        var builder = new StringBuilder(raw.Length);
        foreach (var rune in raw.EnumerateRunes())
        {
            var category = Rune.GetUnicodeCategory(rune);
            if (category is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate
                or UnicodeCategory.OtherNotAssigned or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator)
            {
                continue;
            }
            builder.Append(rune.ToString());
        }
        var clean = builder.ToString().Trim().Trim('.').Trim();
        if (clean.Length == 0)
        {
            clean = "file";
        }
        if (clean.Length > 255)
        {
            var dot = clean.LastIndexOf('.');
            var extension = dot > 0 && clean.Length - dot <= 16 ? clean[dot..] : "";
            clean = clean[..(255 - extension.Length)] + extension;
        }
        return clean;
    }
}
