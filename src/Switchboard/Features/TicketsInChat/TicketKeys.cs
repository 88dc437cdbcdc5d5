using Switchboard.Features.Chat.Messages;

namespace Switchboard.Features.TicketsInChat;

/// <summary>
/// Finds ticket keys (<c>SUP-42</c>) in a message's Markdown. A key is a project key
/// (<c>[A-Z][A-Z0-9]{1,9}</c>), a hyphen and a ticket number without leading zeros, and counts only:
/// outside code spans and blocks; not glued to a longer word (no letter, digit, <c>-</c>, <c>/</c>,
/// <c>.</c> or <c>@</c>, nor a <c>_</c> inside a word, before it; no letter or digit, nor a <c>-</c>, <c>.</c>
/// or <c>_</c> followed by one, after it); and not inside a URL (a run of non-space characters containing <c>://</c> or
/// starting with <c>www.</c>). Rules and examples: docs/api/tickets-in-chat.md.
/// </summary>
public static class TicketKeys
{
    /// <summary>A message refers to at most this many tickets; further keys are plain text.</summary>
    public const int MaxPerMessage = 50;

    public readonly record struct Key(string Project, int Number)
    {
        public override string ToString() => $"{Project}-{Number}";
    }

    public static IReadOnlyList<Key> Scan(string content)
    {
        var keys = new List<Key>();
        if (content.IndexOf('-') < 0)
        {
            return keys;
        }
        foreach (var (text, start, end) in Mentions.TextOutsideCode(content))
        {
            for (var i = start; i < end && keys.Count < MaxPerMessage; i++)
            {
                if (!IsUpper(text[i]) || GluedBefore(text, i))
                {
                    continue;
                }
                var j = i + 1;
                while (j < end && (IsUpper(text[j]) || char.IsAsciiDigit(text[j])))
                {
                    j++;
                }
                var projectLength = j - i;
                if (projectLength < 2 || projectLength > 10 || j + 1 >= end || text[j] != '-' || text[j + 1] is < '1' or > '9')
                {
                    i = j - 1;
                    continue;
                }
                var k = j + 1;
                while (k < end && char.IsAsciiDigit(text[k]))
                {
                    k++;
                }
                if (k - j - 1 > 9 || GluedAfter(text, k, end) || InUrl(text, i, start, end))
                {
                    i = k - 1;
                    continue;
                }
                var key = new Key(text[i..j], int.Parse(text.AsSpan(j + 1, k - j - 1), System.Globalization.CultureInfo.InvariantCulture));
                if (!keys.Contains(key))
                {
                    keys.Add(key);
                }
                i = k - 1;
            }
        }
        return keys;
    }

    private static bool IsUpper(char c) => c is >= 'A' and <= 'Z';

    private static bool GluedBefore(string text, int i)
    {
        if (i == 0)
        {
            return false;
        }
        var c = text[i - 1];
        // "_SUP-1_" is Markdown emphasis; "foo_SUP-1" is one word.
        if (c == '_')
        {
            return i > 1 && (char.IsLetterOrDigit(text[i - 2]) || text[i - 2] == '_');
        }
        return char.IsLetterOrDigit(c) || c is '-' or '/' or '.' or '@';
    }

    private static bool GluedAfter(string text, int k, int end)
    {
        if (k >= end)
        {
            return false;
        }
        var c = text[k];
        if (char.IsLetterOrDigit(c))
        {
            return true;
        }
        if (c == '_')
        {
            return k + 1 < end && (char.IsLetterOrDigit(text[k + 1]) || text[k + 1] == '_');
        }
        // "SUP-1-draft" and "SUP-1.5" are longer words; "SUP-1." ends a sentence.
        return c is '-' or '.' && k + 1 < end && (char.IsLetterOrDigit(text[k + 1]) || text[k + 1] == '_');
    }

    /// <summary>Whether the run of non-space characters around <paramref name="at"/> is a URL.</summary>
    private static bool InUrl(string text, int at, int start, int end)
    {
        var from = at;
        while (from > start && !char.IsWhiteSpace(text[from - 1]))
        {
            from--;
        }
        var to = at;
        while (to < end && !char.IsWhiteSpace(text[to]))
        {
            to++;
        }
        var word = text.AsSpan(from, to - from);
        // Markdown links put the URL in parentheses after the text: "[see](https://x/SUP-1)".
        var paren = word.LastIndexOf("](", StringComparison.Ordinal);
        if (paren >= 0 && from + paren + 2 <= at)
        {
            word = word[(paren + 2)..];
        }
        else if (paren >= 0)
        {
            word = word[..paren];
        }
        word = word.TrimStart("<([");
        return word.Contains("://", StringComparison.Ordinal) || word.StartsWith("www.", StringComparison.OrdinalIgnoreCase)
            || word.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase);
    }
}
