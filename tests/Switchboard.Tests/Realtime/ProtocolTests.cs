using System.Text;
using Switchboard.Realtime;

namespace Switchboard.Tests.Realtime;

public sealed class ProtocolTests
{
    [Theory]
    [InlineData("{\"type\":\"message_deleted\",\"message_id\":4}", "\"room_id\":5,", "{\"seq\":12,\"room_id\":5,\"type\":\"message_deleted\",\"message_id\":4}")]
    [InlineData("{\"type\":\"pong\"}", "", "{\"seq\":12,\"type\":\"pong\"}")]
    [InlineData("{}", "\"room_id\":5,", "{\"seq\":12}")]
    public void Splice_PutsSeqAndTheInsertInFrontOfTheFrame(string frame, string insert, string expected)
    {
        var buffer = new byte[frame.Length + insert.Length + 32];
        var length = SocketConnection.Splice(buffer, 12, Encoding.UTF8.GetBytes(insert), Encoding.UTF8.GetBytes(frame));
        Assert.Equal(expected, Encoding.UTF8.GetString(buffer, 0, length));
    }

    [Theory]
    [InlineData("{\"type\":\"room_deleted\",\"room_id\":5}", true)]
    [InlineData("{\"type\":\"message_new\",\"message\":{\"room_id\":5,\"content\":\"\\\"room_id\\\":1\"}}", false)]
    [InlineData("{\"type\":\"x\",\"list\":[{\"room_id\":1}],\"room_id\":2}", true)]
    [InlineData("[1,2]", false)]
    public void HasTopLevelProperty_LooksOnlyAtTheTopLevel(string json, bool expected) =>
        Assert.Equal(expected, Protocol.HasTopLevelProperty(Encoding.UTF8.GetBytes(json), "room_id"u8));

    [Theory]
    [InlineData("project:5", true)]
    [InlineData("ticket:42", true)]
    [InlineData("ticket:042", false)]
    [InlineData("ticket:-1", false)]
    [InlineData("ticket:", false)]
    [InlineData(":5", false)]
    [InlineData("ticket:99999999999", false)]
    public void TopicNames_HaveOneSpellingEach(string topic, bool valid) =>
        Assert.Equal(valid, Topics.TryParse(topic, out _, out _));
}
