using Switchboard.Features.Chat.Messages;

namespace Switchboard.Tests.Features.Chat;

public sealed class MentionsParserTests
{
    // The room's participants by username; ids are their positions.
    private static readonly string[] Participants = ["alice", "bob", "bob.smith", "carol_1", "dave-x", "eve+ops", "ann@home"];

    private static string Parse(string content)
    {
        var scan = Mentions.Scan(content);
        var names = scan.Names();
        var found = Participants.Select((name, i) => (name, i))
            .Where(p => names.Contains(p.name.ToUpperInvariant()))
            .ToDictionary(p => p.name.ToUpperInvariant(), p => p.i + 1);
        var ids = Mentions.Resolve(scan, found);
        var parts = ids.Select(id => Participants[id - 1]).ToList();
        if (scan.Room)
        {
            parts.Add("#room");
        }
        if (scan.Here)
        {
            parts.Add("#here");
        }
        return string.Join(" ", parts);
    }

    [Theory]
    [InlineData("hi @alice", "alice")]
    [InlineData("@alice at the start", "alice")]
    [InlineData("case: @ALICE and @Bob", "alice bob")]
    [InlineData("trailing dot: thanks @bob.", "bob")]
    [InlineData("longest name wins: @bob.smith, hi", "bob.smith")]
    [InlineData("longest name wins with a dot after: @bob.smith.", "bob.smith")]
    [InlineData("a prefix that is a participant: @bob.smit", "bob")]
    [InlineData("punctuation around: (@alice), @bob!", "alice bob")]
    [InlineData("username characters: @carol_1 @dave-x @eve+ops", "carol_1 dave-x eve+ops")]
    [InlineData("an @ in a username: @ann@home", "ann@home")]
    [InlineData("twice counts once: @alice @alice", "alice")]
    [InlineData("order as written: @bob @alice", "bob alice")]
    [InlineData("everyone: @room", "#room")]
    [InlineData("online ones: @here.", "#here")]
    [InlineData("@Room and @HERE", "#room #here")]
    [InlineData("not a keyword: @roomie", "")]
    [InlineData("unknown name: @mallory", "")]
    [InlineData("email address: alice@example.com", "")]
    [InlineData("after a digit: 1@alice", "")]
    [InlineData("after an underscore: _@alice", "alice")]
    [InlineData("inline code: `@alice` but @bob", "bob")]
    [InlineData("double-backtick code: ``a ` @alice`` @bob", "bob")]
    [InlineData("an unclosed backtick is text: `@alice", "alice")]
    [InlineData("```\n@alice\n```\n@bob", "bob")]
    [InlineData("~~~js\n@alice @room\n~~~", "")]
    [InlineData("text\n\n    @alice in an indented block\n\n@bob", "bob")]
    [InlineData("a lone @ sign, and @.", "")]
    [InlineData("", "")]
    public void Parse_FindsTheParticipantsMentioned(string content, string expected) => Assert.Equal(expected, Parse(content));

    [Fact]
    public void Scan_CapsTheLookupOfAHugeRun()
    {
        var scan = Mentions.Scan("@" + new string('a', 5000));
        Assert.True(scan.Names().Count <= 150);
    }
}
