namespace Switchboard.Realtime;

/// <summary>What a room event does to the sockets of the room besides delivering its frame.</summary>
public enum RoomEventEffect
{
    None,
    /// <summary>Close the sockets of <see cref="RoomEvent.AffectedUserId"/> in this room (removed, left).</summary>
    DisconnectUser,
    /// <summary>Close every socket of the room (the room was deleted).</summary>
    CloseRoom,
    /// <summary>A new message by <see cref="RoomEvent.AffectedUserId"/>: one more unread for everyone else.</summary>
    MessageAdded,
    /// <summary>A message is gone: unread counts of the room are counted again.</summary>
    MessageRemoved,
    /// <summary><see cref="RoomEvent.AffectedUserId"/> read the room: nothing unread for them.</summary>
    Read,
}

/// <summary>
/// Something that happened in a chat room, published only after its transaction committed.
/// <paramref name="Frame"/> is the socket frame to deliver (a record with a snake_case <c>type</c>),
/// serialized once per event however many sockets receive it. <paramref name="Droppable"/> frames
/// (typing) may be skipped for a socket that is behind.
/// </summary>
public sealed record RoomEvent(
    int RoomId,
    object Frame,
    int? ExceptUserId = null,
    RoomEventEffect Effect = RoomEventEffect.None,
    int? AffectedUserId = null,
    bool Droppable = false)
{
    private byte[]? _utf8;

    public object Frame { get; init { field = value; _utf8 = null; } } = Frame;

    /// <summary>
    /// The frame's wire bytes, serialized on first use and then shared by every socket of this
    /// instance and the Redis envelope for the others.
    /// </summary>
    public byte[] Utf8 => _utf8 ??= Protocol.ToUtf8(Frame);
}

/// <summary>The domain event bus for chat rooms: REST and socket handlers publish, the socket fan-out subscribes.</summary>
public interface IRoomEvents
{
    ValueTask PublishAsync(RoomEvent roomEvent, CancellationToken ct = default);

    /// <summary>Registers a handler for every event published on this instance; dispose to stop.</summary>
    IDisposable Subscribe(Func<RoomEvent, ValueTask> handler);

    /// <summary>Makes sure this instance receives the room's events from other instances (a no-op on one node).</summary>
    ValueTask ListenAsync(int roomId) => ValueTask.CompletedTask;
}

/// <summary>The embedded default: events go straight to this process's subscribers.</summary>
public sealed class InProcessRoomEvents(ILogger<InProcessRoomEvents> logger) : IRoomEvents
{
    private readonly Lock _gate = new();
    private Func<RoomEvent, ValueTask>[] _handlers = [];

    public async ValueTask PublishAsync(RoomEvent roomEvent, CancellationToken ct = default)
    {
        foreach (var handler in Volatile.Read(ref _handlers))
        {
            try
            {
                await handler(roomEvent);
            }
            catch (Exception e)
            {
                // One failing subscriber must not stop the others or fail the request that committed.
                logger.LogError(e, "A room event subscriber failed for room {RoomId}", roomEvent.RoomId);
            }
        }
    }

    public IDisposable Subscribe(Func<RoomEvent, ValueTask> handler)
    {
        lock (_gate)
        {
            _handlers = [.. _handlers, handler];
        }
        return new Subscription(() =>
        {
            lock (_gate)
            {
                _handlers = _handlers.Where(h => h != handler).ToArray();
            }
        });
    }

    private sealed class Subscription(Action dispose) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                dispose();
            }
        }
    }
}
