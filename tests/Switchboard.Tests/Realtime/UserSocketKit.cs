using System.Text.Json.Nodes;
using Switchboard.Data;

namespace Switchboard.Tests.Realtime;

/// <summary>
/// The server for user-socket tests: presence timings short enough to watch (away after 1.5 s,
/// offline 1 s after the last socket).
/// </summary>
public class UserSocketApp(DatabaseProvider provider) : KestrelApp(provider, new Dictionary<string, string?>
{
    ["Presence:AwayAfterSeconds"] = "1.5",
    ["Presence:OfflineAfterSeconds"] = "1",
    ["Presence:TickSeconds"] = "0.1",
});

public sealed class SqliteUserSocketApp() : UserSocketApp(DatabaseProvider.Sqlite);

public sealed class PostgresUserSocketApp() : UserSocketApp(DatabaseProvider.Postgres);

public static class UserSocketExtensions
{
    /// <summary>Reads frames until one of the type arrives whose fields match; the others are kept in <paramref name="seen"/> if given.</summary>
    public static async Task<JsonObject> ReceiveWhereAsync(this TestSocket socket, string type, Func<JsonObject, bool> match,
        List<JsonObject>? seen = null)
    {
        var deadline = DateTime.UtcNow + SocketTestKit.Patience;
        while (DateTime.UtcNow < deadline)
        {
            var frame = await socket.ReceiveAsync(deadline - DateTime.UtcNow)
                ?? throw new Xunit.Sdk.XunitException($"The socket closed while waiting for {type}.");
            seen?.Add(frame);
            if ((string?)frame["type"] == type && match(frame))
            {
                return frame;
            }
        }
        throw new Xunit.Sdk.XunitException($"No matching {type} frame arrived.");
    }

    public static Task<JsonObject> ReceiveMessageInAsync(this TestSocket socket, int roomId, string content, List<JsonObject>? seen = null) =>
        socket.ReceiveWhereAsync("message_new", f => (int?)f["room_id"] == roomId && (string?)f["message"]?["content"] == content, seen);

    /// <summary>Opens the user socket and returns it with its hello frame.</summary>
    public static async Task<(TestSocket Socket, JsonObject Hello)> OpenAsync(KestrelApp app, string token)
    {
        var socket = await SocketTestKit.ConnectUserAsync(app, token);
        var hello = await socket.ReceiveAsync() ?? throw new Xunit.Sdk.XunitException("closed before hello");
        Assert.Equal("hello", (string?)hello["type"]);
        return (socket, hello);
    }
}
