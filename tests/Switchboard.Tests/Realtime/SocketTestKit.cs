using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using Switchboard.Data;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Realtime;

/// <summary>The server on a real Kestrel port, so that tests use real sockets.</summary>
public class KestrelApp : SwitchboardApp
{
    public KestrelApp(DatabaseProvider provider, IDictionary<string, string?>? settings = null) : base(provider, settings)
    {
        UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        StartServer();
    }

    public Uri BaseAddress => ClientOptions.BaseAddress;

    public Uri SocketUri(int roomId, string? token = null)
    {
        var builder = new UriBuilder(BaseAddress) { Scheme = "ws", Path = $"/ws/chat/{roomId}/" };
        if (token is not null)
        {
            builder.Query = "token=" + Uri.EscapeDataString(token);
        }
        return builder.Uri;
    }

    /// <summary>The user socket, <c>/ws/</c>.</summary>
    public Uri UserSocketUri(string? token = null)
    {
        var builder = new UriBuilder(BaseAddress) { Scheme = "ws", Path = "/ws/" };
        if (token is not null)
        {
            builder.Query = "token=" + Uri.EscapeDataString(token);
        }
        return builder.Uri;
    }
}

public sealed class SqliteKestrelApp() : KestrelApp(DatabaseProvider.Sqlite);

/// <summary>A joined-up chat scene: two participants of a group room, and a project member outside it.</summary>
public sealed record ChatScene(TestUser Alice, TestUser Bob, TestUser Carol, int ProjectId, int RoomId);

public static class SocketTestKit
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    public static async Task<ChatScene> SceneAsync(SwitchboardApp app)
    {
        var alice = await app.CreateUserAsync("alice");
        var bob = await app.CreateUserAsync("bob");
        var carol = await app.CreateUserAsync("carol");
        var project = await app.CreateProjectAsync(alice, (bob, "member"), (carol, "member"));
        var room = await (await alice.Client.PostAsJsonAsync("/api/chat/rooms/",
            new { name = "General", type = "group", project, participant_ids = new[] { bob.Id } })).JsonAsync(201);
        return new ChatScene(alice, bob, carol, project, (int)room["id"]!);
    }

    public static async Task<TestSocket> ConnectAsync(KestrelApp app, int roomId, string? token, string? origin = null) =>
        new(await ConnectRawAsync(app, roomId, token, origin));

    /// <summary>Opens the user socket <c>/ws/</c>; with a token, waits for its hello frame and returns it too.</summary>
    public static async Task<TestSocket> ConnectUserAsync(KestrelApp app, string? token, string? origin = null)
    {
        var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        if (origin is not null)
        {
            socket.Options.SetRequestHeader("Origin", origin);
        }
        using var timeout = new CancellationTokenSource(Patience);
        await socket.ConnectAsync(app.UserSocketUri(token), timeout.Token);
        return new TestSocket(socket);
    }

    /// <summary>Tries a user-socket handshake that should be refused; returns the HTTP status.</summary>
    public static async Task<int> RefusedUserStatusAsync(KestrelApp app, string? token, string? origin = null)
    {
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        if (origin is not null)
        {
            socket.Options.SetRequestHeader("Origin", origin);
        }
        using var timeout = new CancellationTokenSource(Patience);
        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(app.UserSocketUri(token), timeout.Token));
        return (int)socket.HttpStatusCode;
    }

    /// <summary>A socket nobody reads from unless the test does (for slow-reader tests).</summary>
    public static async Task<ClientWebSocket> ConnectRawAsync(KestrelApp app, int roomId, string? token, string? origin = null)
    {
        var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        if (origin is not null)
        {
            socket.Options.SetRequestHeader("Origin", origin);
        }
        using var timeout = new CancellationTokenSource(Patience);
        await socket.ConnectAsync(app.SocketUri(roomId, token), timeout.Token);
        return socket;
    }

    /// <summary>Tries a handshake that should be refused; returns the HTTP status it was refused with.</summary>
    public static async Task<int> RefusedStatusAsync(KestrelApp app, int roomId, string? token, string? origin = null)
    {
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        if (origin is not null)
        {
            socket.Options.SetRequestHeader("Origin", origin);
        }
        using var timeout = new CancellationTokenSource(Patience);
        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(app.SocketUri(roomId, token), timeout.Token));
        return (int)socket.HttpStatusCode;
    }

    public static async Task<JsonObject> SendRestAsync(this TestUser user, int roomId, string content, string? clientId = null)
    {
        var response = await user.Client.PostAsJsonAsync("/api/chat/messages/", new { room = roomId, content, type = "text", client_id = clientId });
        return await response.JsonAsync(201);
    }
}

/// <summary>
/// A client socket whose frames are read in the background into a queue, so that a test can wait
/// for a frame with a timeout without aborting the socket (cancelling a receive would).
/// </summary>
public sealed class TestSocket : IDisposable
{
    private readonly ClientWebSocket _socket;
    private readonly System.Threading.Channels.Channel<JsonObject> _frames = System.Threading.Channels.Channel.CreateUnbounded<JsonObject>();
    private readonly Task _pump;

    public TestSocket(ClientWebSocket socket)
    {
        _socket = socket;
        _pump = Task.Run(PumpAsync);
    }

    public WebSocketState State => _socket.State;

    private async Task PumpAsync()
    {
        var buffer = new byte[256 * 1024];
        try
        {
            while (true)
            {
                var length = 0;
                while (true)
                {
                    var result = await _socket.ReceiveAsync(buffer.AsMemory(length), CancellationToken.None);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        return;
                    }
                    length += result.Count;
                    if (result.EndOfMessage)
                    {
                        break;
                    }
                }
                _frames.Writer.TryWrite(JsonNode.Parse(Encoding.UTF8.GetString(buffer, 0, length))!.AsObject());
            }
        }
        catch (Exception e) when (e is WebSocketException or ObjectDisposedException or OperationCanceledException)
        {
            // Closed or aborted: the close status tells which.
        }
        finally
        {
            _frames.Writer.TryComplete();
        }
    }

    public Task SendAsync(object frame) => SendTextAsync(System.Text.Json.JsonSerializer.Serialize(frame));

    public async Task SendTextAsync(string text)
    {
        using var timeout = new CancellationTokenSource(SocketTestKit.Patience);
        await _socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, timeout.Token);
    }

    /// <summary>The next frame; null when the socket closed; throws OperationCanceledException after the wait.</summary>
    public async Task<JsonObject?> ReceiveAsync(TimeSpan? wait = null)
    {
        using var timeout = new CancellationTokenSource(wait ?? SocketTestKit.Patience);
        try
        {
            return await _frames.Reader.ReadAsync(timeout.Token);
        }
        catch (System.Threading.Channels.ChannelClosedException)
        {
            return null;
        }
    }

    /// <summary>Reads frames until one of the given type arrives (skipping others, such as typing).</summary>
    public async Task<JsonObject> ReceiveTypeAsync(string type)
    {
        var deadline = DateTime.UtcNow + SocketTestKit.Patience;
        while (DateTime.UtcNow < deadline)
        {
            var frame = await ReceiveAsync(deadline - DateTime.UtcNow)
                ?? throw new Xunit.Sdk.XunitException($"The socket closed ({_socket.CloseStatus}) while waiting for {type}.");
            if ((string?)frame["type"] == type)
            {
                return frame;
            }
        }
        throw new Xunit.Sdk.XunitException($"No {type} frame arrived.");
    }

    /// <summary>Reads message_new frames until the one with this content arrives.</summary>
    public async Task<JsonObject> ReceiveMessageAsync(string content)
    {
        var deadline = DateTime.UtcNow + SocketTestKit.Patience;
        while (DateTime.UtcNow < deadline)
        {
            var frame = await ReceiveTypeAsync("message_new");
            if ((string?)frame["message"]?["content"] == content)
            {
                return frame;
            }
        }
        throw new Xunit.Sdk.XunitException($"No message \"{content}\" arrived.");
    }

    /// <summary>Waits until the server closed the socket; returns the close code (null when it was cut off).</summary>
    public async Task<int?> ClosedWithAsync(TimeSpan? wait = null)
    {
        await Task.WhenAny(_pump, Task.Delay(wait ?? SocketTestKit.Patience));
        Assert.True(_pump.IsCompleted, "the server did not close the socket");
        return (int?)_socket.CloseStatus;
    }

    public void Abort() => _socket.Abort();

    public void Dispose()
    {
        _socket.Abort();
        _socket.Dispose();
    }
}
