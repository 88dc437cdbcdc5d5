using Switchboard.Features.Chat.Messages;

namespace Switchboard.Tests.Features.Chat;

public sealed class EmojiTests
{
    [Theory]
    [InlineData("👍")]
    [InlineData("👍🏽")]
    [InlineData("❤️")]
    [InlineData("❤")]
    [InlineData("👨‍👩‍👧‍👦")]
    [InlineData("🏳️‍🌈")]
    [InlineData("🇩🇪")]
    [InlineData("1️⃣")]
    [InlineData("#️⃣")]
    [InlineData("🏴󠁧󠁢󠁳󠁣󠁴󠁿")]
    [InlineData("‼️")]
    [InlineData("🧑🏿‍🚀")]
    public void SingleEmoji_IsAccepted(string emoji) => Assert.True(Emoji.IsSingleEmoji(emoji), emoji);

    [Theory]
    [InlineData("")]
    [InlineData("a")]
    [InlineData("abc")]
    [InlineData(":)")]
    [InlineData("1")]
    [InlineData("#")]
    [InlineData("👍👍")]
    [InlineData("👍a")]
    [InlineData(" 👍")]
    [InlineData("é")]
    [InlineData("\u200D")]
    [InlineData("‼")]
    [InlineData("🇩")]
    public void AnythingElse_IsRejected(string text) => Assert.False(Emoji.IsSingleEmoji(text), text);
}
