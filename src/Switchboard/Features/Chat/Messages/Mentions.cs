using System.Text;

namespace Switchboard.Features.Chat.Messages;

/// <summary>What a message mentions, as the server read it: <c>mentions</c> on the wire.</summary>
public sealed record MentionsDto(IReadOnlyList<int> UserIds, bool Room, bool Here)
{
    public static readonly MentionsDto None = new([], false, false);
}

/// <summary>
/// Finds <c>@username</c>, <c>@room</c> and <c>@here</c> in Markdown. Parsing happens in two steps so
/// that a send needs one query however many people are in the room: <see cref="Scan"/> lists every
/// name a mention could mean, the caller looks those up among the participants, and
/// <see cref="Resolve"/> keeps, per mention, the longest name that is a participant.
/// </summary>
public static class Mentions
{
    public const string RoomKeyword = "room";
    public const string HereKeyword = "here";

    /// <summary>One <c>@</c> outside code: the run of username characters after it.</summary>
    public sealed record Candidate(string Run);

    public sealed record ScanResult(IReadOnlyList<Candidate> Candidates, bool Room, bool Here)
    {
        /// <summary>Every prefix of every run (in upper case, as usernames are normalized): the names to look up.</summary>
        public IReadOnlySet<string> Names()
        {
            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (var c in Candidates)
            {
                for (var length = c.Run.Length; length >= 1; length--)
                {
                    names.Add(c.Run[..length].ToUpperInvariant());
                }
            }
            return names;
        }
    }

    // The characters a username may contain (register's rule): letters, digits and @.+-_
    private static bool IsUsernameChar(char c) => char.IsLetterOrDigit(c) || c is '@' or '.' or '+' or '-' or '_';

    // A run is capped at a username's longest length, so a hostile message cannot make the lookup huge.
    private const int MaxRun = 150;

    public static ScanResult Scan(string content)
    {
        var candidates = new List<Candidate>();
        bool room = false, here = false;
        foreach (var (text, start, end) in TextOutsideCode(content))
        {
            for (var i = start; i < end; i++)
            {
                if (text[i] != '@' || (i > 0 && char.IsLetterOrDigit(text[i - 1])))
                {
                    continue;
                }
                var j = i + 1;
                while (j < end && j - i - 1 < MaxRun && IsUsernameChar(text[j]))
                {
                    j++;
                }
                var run = text[(i + 1)..j];
                var word = run.TrimEnd('.');
                if (word.Equals(RoomKeyword, StringComparison.OrdinalIgnoreCase))
                {
                    room = true;
                }
                else if (word.Equals(HereKeyword, StringComparison.OrdinalIgnoreCase))
                {
                    here = true;
                }
                else if (word.Length > 0)
                {
                    candidates.Add(new Candidate(run));
                }
                // An @ inside the run (user@example) starts no mention of its own: it follows a letter.
                i = j - 1;
            }
        }
        return new ScanResult(candidates, room, here);
    }

    /// <summary>
    /// The mentioned participants, in the order first written. <paramref name="participants"/> maps
    /// normalized (upper-case) usernames to user ids, for the names of <see cref="ScanResult.Names"/>
    /// that are participants.
    /// </summary>
    public static List<int> Resolve(ScanResult scan, IReadOnlyDictionary<string, int> participants)
    {
        var ids = new List<int>();
        foreach (var c in scan.Candidates)
        {
            // The longest run of username characters that names a participant; a trailing '.' is then
            // punctuation simply because the shorter prefix is the one that matches.
            for (var length = c.Run.Length; length >= 1; length--)
            {
                if (participants.TryGetValue(c.Run[..length].ToUpperInvariant(), out var id))
                {
                    if (!ids.Contains(id))
                    {
                        ids.Add(id);
                    }
                    break;
                }
            }
        }
        return ids;
    }

    /// <summary>
    /// The stretches of <paramref name="content"/> that are not code: fenced blocks (``` or ~~~),
    /// indented blocks (four spaces or a tab after a blank line) and inline code spans are skipped.
    /// </summary>
    internal static IEnumerable<(string Text, int Start, int End)> TextOutsideCode(string content)
    {
        var prose = new StringBuilder();
        string? fence = null;
        var previousBlank = true;
        foreach (var rawLine in content.Split('\n'))
        {
            var line = rawLine.TrimEnd('\r');
            var trimmed = line.TrimStart(' ');
            var indent = line.Length - trimmed.Length;
            if (fence is not null)
            {
                if (indent < 4 && trimmed.StartsWith(fence, StringComparison.Ordinal) && trimmed.Trim().Trim(fence[0]).Length == 0)
                {
                    fence = null;
                }
                prose.Append('\n');
                continue;
            }
            if (indent < 4 && (trimmed.StartsWith("```", StringComparison.Ordinal) || trimmed.StartsWith("~~~", StringComparison.Ordinal)))
            {
                var marker = trimmed[0];
                fence = new string(marker, trimmed.TakeWhile(ch => ch == marker).Count());
                prose.Append('\n');
                previousBlank = false;
                continue;
            }
            var isBlank = line.Trim().Length == 0;
            if (!isBlank && previousBlank && (indent >= 4 || line.StartsWith('\t')))
            {
                // An indented code block continues until a line that is not indented.
                prose.Append('\n');
                continue;
            }
            previousBlank = isBlank;
            prose.Append(line).Append('\n');
        }
        var text = prose.ToString();
        // Inline code spans: a run of N backticks up to the next run of exactly N backticks.
        var i = 0;
        var from = 0;
        while (i < text.Length)
        {
            if (text[i] != '`')
            {
                i++;
                continue;
            }
            var open = i;
            while (i < text.Length && text[i] == '`')
            {
                i++;
            }
            var ticks = i - open;
            var close = FindClosingTicks(text, i, ticks);
            if (close < 0)
            {
                continue;
            }
            yield return (text, from, open);
            i = close + ticks;
            from = i;
        }
        yield return (text, from, text.Length);
    }

    private static int FindClosingTicks(string text, int from, int ticks)
    {
        var i = from;
        while (i < text.Length)
        {
            if (text[i] != '`')
            {
                i++;
                continue;
            }
            var start = i;
            while (i < text.Length && text[i] == '`')
            {
                i++;
            }
            if (i - start == ticks)
            {
                return start;
            }
        }
        return -1;
    }
}
