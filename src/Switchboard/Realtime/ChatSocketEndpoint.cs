using System.Buffers;
using System.Net.WebSockets;
using Microsoft.Extensions.Options;
using Switchboard.Infrastructure;
using Switchboard.Infrastructure.RateLimiting;

namespace Switchboard.Realtime;

/// <summary>
/// <c>/ws/chat/{room_id}/</c>: authenticates (token in the URL, or a first <c>auth</c> frame
/// within 10 seconds), checks the Origin and the room, then relays frames both ways.
/// </summary>
public static class ChatSocketEndpoint
{
    public const int MaxFrameBytes = 64 * 1024;
    private static readonly TimeSpan AuthTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan TypingTimeout = TimeSpan.FromSeconds(6);

    public static async Task HandleAsync(HttpContext http, int roomId, ConnectionRegistry registry, IRoomEvents events,
        AccessTokenValidator tokens, IServiceScopeFactory scopes, ChatRateLimiter limiter, IOptions<SwitchboardOptions> options,
        IConfiguration configuration, ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger(typeof(ChatSocketEndpoint));
        if (!http.WebSockets.IsWebSocketRequest)
        {
            await Problems.BadRequest("This endpoint takes WebSocket connections.").ExecuteAsync(http);
            return;
        }
        if (!OriginAllowed(http, configuration))
        {
            await Problems.Forbidden("This origin may not open chat sockets.").ExecuteAsync(http);
            return;
        }

        SocketIdentity? identity = null;
        var token = http.Request.Query["token"].ToString();
        if (token.Length > 0)
        {
            identity = await tokens.ValidateAsync(token);
            if (identity is null)
            {
                await Problems.Unauthorized("The token is missing, invalid or expired.").ExecuteAsync(http);
                return;
            }
            if (!await IsParticipantAsync(scopes, roomId, identity.UserId, http.RequestAborted))
            {
                await Problems.Forbidden("You are not a participant of this room.").ExecuteAsync(http);
                return;
            }
        }

        if (identity is not null)
        {
            // Listen for the room's events from other instances before the client sees the socket
            // open: an event published right after the handshake must not slip past this instance.
            // (A client that leaves before its session starts leaves the subscription until the
            // room's next socket here closes; harmless.)
            await events.ListenAsync(roomId);
        }
        using var socket = await http.WebSockets.AcceptWebSocketAsync();
        var buffer = new FrameBuffer();
        try
        {
            if (identity is null)
            {
                identity = await AuthenticateByFrameAsync(socket, buffer, tokens, http.RequestAborted);
                if (identity is null)
                {
                    await CloseAsync(socket, 4401, "Not authenticated.");
                    return;
                }
                if (!await IsParticipantAsync(scopes, roomId, identity.UserId, http.RequestAborted))
                {
                    await CloseAsync(socket, 4403, "You are not a participant of this room.");
                    return;
                }
            }

            var session = new Session(socket, roomId, identity, events, scopes, limiter, tokens, logger);
            await session.RunAsync(registry, buffer, http.RequestAborted);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            // The client vanished; nothing to clean up beyond what the session did.
        }
        finally
        {
            buffer.Dispose();
        }
    }

    private static async Task<bool> IsParticipantAsync(IServiceScopeFactory scopes, int roomId, int userId, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IChatSocketBackend>().IsParticipantAsync(roomId, userId, ct);
    }

    private static async Task<SocketIdentity?> AuthenticateByFrameAsync(WebSocket socket, FrameBuffer buffer, AccessTokenValidator tokens,
        CancellationToken aborted)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        timeout.CancelAfter(AuthTimeout);
        try
        {
            var result = await buffer.ReceiveAsync(socket, timeout.Token);
            if (result != ReceiveResult.Text)
            {
                return null;
            }
            var (frame, _) = Protocol.Parse(buffer.Span);
            buffer.Release();
            return frame is AuthFrame auth ? await tokens.ValidateAsync(auth.Token) : null;
        }
        catch (OperationCanceledException) when (!aborted.IsCancellationRequested)
        {
            return null;
        }
    }

    internal static async Task CloseAsync(WebSocket socket, int code, string reason)
    {
        if (socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived))
        {
            return;
        }
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await socket.CloseOutputAsync((WebSocketCloseStatus)code, reason, timeout.Token);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            socket.Abort();
        }
    }

    /// <summary>
    /// A handshake from a browser page carries Origin: it must be this server's own origin or one
    /// configured in Cors:AllowedOrigins. Scripts and servers send none and are let through.
    /// </summary>
    public static bool OriginAllowed(HttpContext http, IConfiguration configuration)
    {
        var origin = http.Request.Headers.Origin.ToString();
        if (origin.Length == 0)
        {
            return true;
        }
        if (Uri.TryCreate(origin, UriKind.Absolute, out var uri) &&
            string.Equals(uri.Authority, http.Request.Host.Value, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }
        var allowed = configuration.GetSection("Cors:AllowedOrigins").Get<string[]>() ?? [];
        return allowed.Any(a => string.Equals(a.TrimEnd('/'), origin.TrimEnd('/'), StringComparison.OrdinalIgnoreCase));
    }

    private sealed class Session(WebSocket socket, int roomId, SocketIdentity identity, IRoomEvents events,
        IServiceScopeFactory scopes, ChatRateLimiter limiter, AccessTokenValidator tokens, ILogger logger)
    {
        private readonly SocketConnection _connection = new(socket, roomId, identity.UserId);
        private DateTime _expiresAt = identity.ExpiresAt;
        private CancellationTokenSource? _typingTimer;
        private bool _typing;

        public async Task RunAsync(ConnectionRegistry registry, FrameBuffer buffer, CancellationToken aborted)
        {
            registry.Add(_connection);
            var writer = _connection.RunWriterAsync(aborted);
            using var expiry = ScheduleExpiry();
            // A socket the server closes gets 5 seconds to answer the close frame, then it is cut.
            using var abortLater = _connection.Closing.Register(() => _ = AbortAfterAsync(TimeSpan.FromSeconds(5)));
            try
            {
                // Also after registering: a subscription taken before the handshake is dropped if the
                // room's last other socket here closed in between (and first-frame auth takes none).
                await events.ListenAsync(roomId);
                await ReceiveLoopAsync(buffer, aborted);
            }
            finally
            {
                registry.Remove(_connection);
                _connection.Complete();
                await writer;
                if (_typing)
                {
                    await PublishTypingAsync(false);
                }
                _typingTimer?.Cancel();
                if (socket.State == WebSocketState.CloseReceived)
                {
                    await CloseAsync(socket, (int)WebSocketCloseStatus.NormalClosure, "");
                }
            }
        }

        private Timer ScheduleExpiry()
        {
            var due = _expiresAt - DateTime.UtcNow;
            return new Timer(_ => CheckExpiry(), null, due < TimeSpan.Zero ? TimeSpan.Zero : due, Timeout.InfiniteTimeSpan);
        }

        private void CheckExpiry()
        {
            if (DateTime.UtcNow >= _expiresAt)
            {
                _connection.Close(4401, "The token expired. Reconnect with a fresh one.");
            }
            else
            {
                // A later auth frame extended the session: check again when the new token expires.
                _ = Task.Delay(_expiresAt - DateTime.UtcNow).ContinueWith(_ => CheckExpiry(), TaskScheduler.Default);
            }
        }

        private async Task AbortAfterAsync(TimeSpan delay)
        {
            await Task.Delay(delay);
            if (socket.State != WebSocketState.Closed)
            {
                socket.Abort();
            }
        }

        private async Task ReceiveLoopAsync(FrameBuffer buffer, CancellationToken aborted)
        {
            while (socket.State == WebSocketState.Open)
            {
                var result = await buffer.ReceiveAsync(socket, aborted);
                switch (result)
                {
                    case ReceiveResult.Closed:
                        return;
                    case ReceiveResult.TooLarge:
                        _connection.Close(WebSocketCloseStatus.MessageTooBig, "Frames are limited to 64 KiB.");
                        return;
                    case ReceiveResult.Binary:
                        Send(new ErrorFrame(ErrorCodes.InvalidFrame, "Send JSON text frames."));
                        continue;
                }
                if (_connection.Closing.IsCancellationRequested)
                {
                    continue;
                }
                var (frame, error) = Protocol.Parse(buffer.Span);
                buffer.Release();
                if (error is not null)
                {
                    Send(error);
                    continue;
                }
                await HandleAsync(frame!, aborted);
            }
        }

        private async Task HandleAsync(ClientFrame frame, CancellationToken aborted)
        {
            switch (frame)
            {
                case PingFrame:
                    Send(new PongFrame());
                    return;
                case TypingFrame typing:
                    await OnTypingAsync(typing.IsTyping);
                    return;
                case AuthFrame auth:
                    var renewed = await tokens.ValidateAsync(auth.Token);
                    if (renewed is null || renewed.UserId != identity.UserId)
                    {
                        Send(new ErrorFrame(ErrorCodes.NotAuthenticated, "The token is invalid, expired or not yours."));
                        return;
                    }
                    _expiresAt = renewed.ExpiresAt;
                    return;
                case MessageSendFrame send when !await limiter.TryAcquireAsync(identity.UserId, aborted):
                    Send(new ErrorFrame(ErrorCodes.RateLimited, "You are sending messages too fast; nothing was stored.", send.ClientId));
                    return;
            }

            ErrorFrame? failure;
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var backend = scope.ServiceProvider.GetRequiredService<IChatSocketBackend>();
                failure = await backend.ExecuteAsync(roomId, identity.UserId, frame, aborted);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "A chat frame of type {FrameType} failed in room {RoomId}", frame.GetType().Name, roomId);
                failure = new ErrorFrame("server_error", "The action failed; nothing was changed. Try again.");
            }
            if (failure is not null)
            {
                Send(failure);
            }
            if (frame is MessageSendFrame && _typing)
            {
                await OnTypingAsync(false);
            }
        }

        private async Task OnTypingAsync(bool isTyping)
        {
            _typingTimer?.Cancel();
            _typingTimer = null;
            if (isTyping)
            {
                // Typing state expires when updates stop, so a vanished typist does not type forever.
                var timer = new CancellationTokenSource();
                _typingTimer = timer;
                _ = Task.Delay(TypingTimeout, timer.Token).ContinueWith(async t =>
                {
                    if (!t.IsCanceled && _typing)
                    {
                        await PublishTypingAsync(false);
                    }
                }, TaskScheduler.Default);
            }
            if (isTyping != _typing)
            {
                await PublishTypingAsync(isTyping);
            }
        }

        private async Task PublishTypingAsync(bool isTyping)
        {
            _typing = isTyping;
            await events.PublishAsync(new RoomEvent(roomId, new UserTypingFrame(identity.UserId, isTyping),
                ExceptUserId: identity.UserId, Droppable: true));
        }

        private void Send(object frame) =>
            _connection.TrySend(Protocol.ToUtf8(frame));
    }
}

internal enum ReceiveResult
{
    Text,
    Binary,
    Closed,
    TooLarge,
}

/// <summary>
/// Assembles one whole WebSocket message (of at most 64 KiB) in a pooled buffer. It waits for data
/// with a zero-byte read and rents the buffer only when a message arrives; <see cref="Release"/>
/// gives it back once the message is parsed, so an idle socket holds no receive buffer.
/// </summary>
internal sealed class FrameBuffer : IDisposable
{
    private const int InitialSize = 4096;
    private byte[]? _buffer;
    private int _length;

    public ReadOnlySpan<byte> Span => _buffer is null ? default : _buffer.AsSpan(0, _length);

    public async Task<ReceiveResult> ReceiveAsync(WebSocket socket, CancellationToken ct)
    {
        _length = 0;
        var waited = await socket.ReceiveAsync(Memory<byte>.Empty, ct);
        if (waited.MessageType == WebSocketMessageType.Close)
        {
            return ReceiveResult.Closed;
        }
        if (waited.EndOfMessage)
        {
            // An empty message.
            return waited.MessageType == WebSocketMessageType.Binary ? ReceiveResult.Binary : ReceiveResult.Text;
        }
        _buffer ??= ArrayPool<byte>.Shared.Rent(InitialSize);
        while (true)
        {
            if (_length == _buffer.Length)
            {
                if (_buffer.Length >= ChatSocketEndpoint.MaxFrameBytes + 1)
                {
                    return ReceiveResult.TooLarge;
                }
                var bigger = ArrayPool<byte>.Shared.Rent(Math.Min(_buffer.Length * 2, ChatSocketEndpoint.MaxFrameBytes + 1));
                _buffer.AsSpan(0, _length).CopyTo(bigger);
                ArrayPool<byte>.Shared.Return(_buffer);
                _buffer = bigger;
            }
            var result = await socket.ReceiveAsync(_buffer.AsMemory(_length), ct);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return ReceiveResult.Closed;
            }
            _length += result.Count;
            if (_length > ChatSocketEndpoint.MaxFrameBytes)
            {
                return ReceiveResult.TooLarge;
            }
            if (result.EndOfMessage)
            {
                return result.MessageType == WebSocketMessageType.Binary ? ReceiveResult.Binary : ReceiveResult.Text;
            }
        }
    }

    /// <summary>Returns the buffer to the pool; <see cref="Span"/> is empty afterwards.</summary>
    public void Release()
    {
        if (_buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = null;
        }
        _length = 0;
    }

    public void Dispose() => Release();
}
