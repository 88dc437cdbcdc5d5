using System.Net.WebSockets;
using Microsoft.Extensions.Options;
using Switchboard.Infrastructure;

namespace Switchboard.Realtime;

/// <summary>
/// Handles the client frames of a feature (chat's <c>message_send</c>, <c>typing</c>...). Features
/// register one as a singleton; the session routes each frame to the handler of its type.
/// </summary>
public interface ISocketFrameHandler
{
    IReadOnlyCollection<string> FrameTypes { get; }

    /// <returns>null on success, or the error frame to send back (the socket stays open).</returns>
    Task<ErrorFrame?> HandleAsync(SocketFrame frame, SocketSession session, CancellationToken ct);
}

/// <summary>The singletons every socket session uses, resolved once.</summary>
public sealed class SocketServices(
    ConnectionRegistry registry,
    AccessTokenValidator tokens,
    SocketHandshake handshake,
    IEnumerable<ISocketFrameHandler> handlers,
    Presence.PresenceTracker presence,
    IServiceScopeFactory scopes,
    IOptions<SwitchboardOptions> options,
    ILogger<SocketSession> logger)
{
    public ConnectionRegistry Registry => registry;
    public AccessTokenValidator Tokens => tokens;
    public SocketHandshake Handshake => handshake;
    public Presence.PresenceTracker Presence => presence;
    public IServiceScopeFactory Scopes => scopes;
    public RealtimeOptions Options => options.Value.Realtime;
    public ILogger Logger => logger;

    public IReadOnlyDictionary<string, ISocketFrameHandler> Handlers { get; } =
        handlers.SelectMany(h => h.FrameTypes.Select(t => (Type: t, Handler: h))).ToDictionary(p => p.Type, p => p.Handler);
}

/// <summary>
/// One authenticated socket from its first frame to its close: reads frames, answers the general
/// ones (ping, activity, auth renewal, topics), routes the rest to their feature's handler, and
/// closes the socket when its token runs out.
/// </summary>
public sealed class SocketSession(WebSocket socket, SocketConnection connection, SocketIdentity identity, SocketServices services)
{
    private readonly List<Func<Task>> _onClosed = [];
    private readonly Dictionary<Type, object> _features = [];
    private DateTime _expiresAt = identity.ExpiresAt;

    public int UserId => identity.UserId;
    public bool IsUserSocket => connection.Sequenced;
    public SocketConnection Connection => connection;

    /// <summary>The room a room-scoped frame acts on: the socket's own room, or the frame's <c>room_id</c> on the user socket.</summary>
    public int RoomOf(SocketFrame frame)
    {
        if (connection.RoomId > 0)
        {
            return connection.RoomId;
        }
        var id = frame.RequiredId("room_id");
        return id > int.MaxValue ? 0 : (int)id;
    }

    /// <summary>Whether this socket carries the room now (removal takes effect at once).</summary>
    public bool InRoom(int roomId) => services.Registry.IsInRoom(connection, roomId);

    public void Send(object frame) => connection.TrySend(Protocol.ToUtf8(frame));

    /// <summary>A feature's state for this socket, made on first use.</summary>
    public T Feature<T>(Func<T> create) where T : class
    {
        lock (_features)
        {
            if (!_features.TryGetValue(typeof(T), out var state))
            {
                _features[typeof(T)] = state = create();
            }
            return (T)state;
        }
    }

    /// <summary>Runs after the socket closed (a typist stops typing).</summary>
    public void OnClosed(Func<Task> callback)
    {
        lock (_onClosed)
        {
            _onClosed.Add(callback);
        }
    }

    public async Task RunAsync(FrameBuffer buffer, Func<Task>? afterRegistered, CancellationToken aborted)
    {
        services.Registry.Add(connection);
        var writer = Task.CompletedTask;
        using var expiry = ScheduleExpiry();
        // A socket the server closes gets 5 seconds to answer the close frame, then it is cut.
        using var abortLater = connection.Closing.Register(() => _ = AbortAfterAsync(TimeSpan.FromSeconds(5)));
        try
        {
            if (afterRegistered is not null)
            {
                await afterRegistered();
            }
            // Nothing is written before the socket is fully set up: its first frame (hello) then
            // tells the client that everything from now on reaches it.
            writer = connection.RunWriterAsync(aborted);
            await ReceiveLoopAsync(buffer, aborted);
        }
        finally
        {
            services.Registry.Remove(connection);
            connection.Complete();
            await writer;
            List<Func<Task>> callbacks;
            lock (_onClosed)
            {
                callbacks = [.. _onClosed];
            }
            foreach (var callback in callbacks)
            {
                try
                {
                    await callback();
                }
                catch (Exception e)
                {
                    services.Logger.LogWarning(e, "A socket close callback failed");
                }
            }
            if (socket.State == WebSocketState.CloseReceived)
            {
                await SocketHandshake.CloseAsync(socket, (int)WebSocketCloseStatus.NormalClosure, "");
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
            connection.Close(4401, "The token expired. Reconnect with a fresh one.");
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
            Interlocked.Exchange(ref connection.LastReceivedTicks, Environment.TickCount64);
            switch (result)
            {
                case ReceiveResult.Closed:
                    return;
                case ReceiveResult.TooLarge:
                    connection.Close(WebSocketCloseStatus.MessageTooBig, "Frames are limited to 64 KiB.");
                    return;
                case ReceiveResult.Binary:
                    Send(new ErrorFrame(ErrorCodes.InvalidFrame, "Send JSON text frames."));
                    continue;
            }
            if (connection.Closing.IsCancellationRequested)
            {
                continue;
            }
            var (document, frame, error) = Protocol.Parse(buffer.Span);
            buffer.Release();
            if (error is not null)
            {
                Send(error);
                continue;
            }
            using (document)
            {
                var failure = await HandleAsync(frame!, aborted);
                if (failure is not null)
                {
                    Send(failure);
                }
            }
        }
    }

    private async Task<ErrorFrame?> HandleAsync(SocketFrame frame, CancellationToken aborted)
    {
        try
        {
            switch (frame.Type)
            {
                case "ping":
                    Send(new PongFrame());
                    return null;
                case "activity":
                    services.Presence.Activity(UserId);
                    return null;
                case "auth":
                    return await RenewAsync(frame.RequiredString("token"));
                case "subscribe" when IsUserSocket:
                    return await SubscribeAsync(frame.RequiredStrings("topics", Topics.MaxPerFrame), aborted);
                case "unsubscribe" when IsUserSocket:
                    var topics = frame.RequiredStrings("topics", Topics.MaxPerFrame);
                    foreach (var topic in topics)
                    {
                        services.Registry.Unsubscribe(connection, topic);
                    }
                    Send(new UnsubscribedFrame(topics));
                    return null;
            }
            return services.Handlers.TryGetValue(frame.Type, out var handler)
                ? await handler.HandleAsync(frame, this, aborted)
                : Protocol.UnknownType(frame);
        }
        catch (FrameFieldException e)
        {
            return new ErrorFrame(ErrorCodes.InvalidFrame, e.Message, frame.ClientId);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            services.Logger.LogError(e, "A socket frame of type {FrameType} failed", frame.Type.Length > 40 ? frame.Type[..40] : frame.Type);
            return new ErrorFrame(ErrorCodes.ServerError, "The action failed; nothing was changed. Try again.", frame.ClientId);
        }
    }

    private async Task<ErrorFrame?> RenewAsync(string token)
    {
        var renewed = await services.Tokens.ValidateAsync(token);
        if (renewed is null || renewed.UserId != identity.UserId)
        {
            return new ErrorFrame(ErrorCodes.NotAuthenticated, "The token is invalid, expired or not yours.");
        }
        _expiresAt = renewed.ExpiresAt;
        connection.SessionId = renewed.SessionId;
        return null;
    }

    /// <summary>All or nothing: one topic the caller may not see refuses the whole frame.</summary>
    private async Task<ErrorFrame?> SubscribeAsync(IReadOnlyList<string> topics, CancellationToken ct)
    {
        await using var scope = services.Scopes.CreateAsyncScope();
        var access = scope.ServiceProvider.GetServices<ITopicAccess>().ToDictionary(a => a.Prefix);
        var projects = new List<(string Topic, int ProjectId)>();
        foreach (var topic in topics)
        {
            int? projectId = null;
            if (Topics.TryParse(topic, out var prefix, out var id) && access.TryGetValue(prefix, out var owner))
            {
                projectId = await owner.ProjectOfAsync(UserId, id, ct);
            }
            if (projectId is null)
            {
                var shown = topic.Length > 40 ? topic[..40] + "…" : topic;
                return new ErrorFrame(ErrorCodes.NotFound, $"No topic \"{shown}\" that you may see; nothing was subscribed.");
            }
            projects.Add((topic, projectId.Value));
        }
        foreach (var (topic, projectId) in projects)
        {
            if (!services.Registry.Subscribe(connection, topic, projectId))
            {
                return new ErrorFrame(ErrorCodes.Validation, $"topics: A socket may hold at most {Topics.MaxPerSocket} subscriptions.");
            }
        }
        Send(new SubscribedFrame(topics));
        return null;
    }
}
