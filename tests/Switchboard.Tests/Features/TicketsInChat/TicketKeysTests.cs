using Switchboard.Features.TicketsInChat;

namespace Switchboard.Tests.Features.TicketsInChat;

/// <summary>The reference parsing table: what counts as a ticket key in a message.</summary>
public sealed class TicketKeysTests
{
    [Theory]
    [InlineData("see SUP-42", "SUP-42")]
    [InlineData("SUP-42", "SUP-42")]
    [InlineData("(SUP-42)", "SUP-42")]
    [InlineData("SUP-42, SUP-7 and SUP-42 again", "SUP-42 SUP-7")]
    [InlineData("fixed in SUP-42.", "SUP-42")]
    [InlineData("**SUP-42** and _AB2-3_", "SUP-42 AB2-3")]
    [InlineData("#SUP-42", "SUP-42")]
    [InlineData("[the bug](https://example.com/browse/SUP-1) is SUP-2", "SUP-2")]
    [InlineData("[SUP-3](https://example.com/x)", "SUP-3")]
    [InlineData("https://example.com/browse/SUP-1", "")]
    [InlineData("<https://example.com/?key=SUP-1>", "")]
    [InlineData("www.example.com/SUP-1", "")]
    [InlineData("sup-42", "")]
    [InlineData("Sup-42", "")]
    [InlineData("XSUP-42 is one word: xSUP-42", "XSUP-42")]
    [InlineData("SUP-42abc SUP-42_x SUP-42-draft SUP-4.5 foo_SUP-1", "")]
    [InlineData("A-1 S-1", "")]
    [InlineData("ABCDEFGHIJK-1", "")]
    [InlineData("SUP-0 SUP-007", "")]
    [InlineData("foo-SUP-1 foo/SUP-1 foo.SUP-1 me@SUP-1", "")]
    [InlineData("`SUP-1` and ``SUP-2`` but SUP-3", "SUP-3")]
    [InlineData("```\nSUP-1\n```\nSUP-2", "SUP-2")]
    [InlineData("text\n\n    SUP-1 indented code\n\nSUP-2", "SUP-2")]
    [InlineData("~~~js\nSUP-1\n~~~", "")]
    public void Scan_FindsKeysOutsideCodeWordsAndUrls(string content, string expected)
    {
        var keys = string.Join(' ', TicketKeys.Scan(content).Select(k => k.ToString()));
        Assert.Equal(expected, keys);
    }

    [Fact]
    public void Scan_StopsAtTheLimit()
    {
        var content = string.Join(' ', Enumerable.Range(1, 80).Select(i => $"SUP-{i}"));
        Assert.Equal(TicketKeys.MaxPerMessage, TicketKeys.Scan(content).Count);
    }
}
