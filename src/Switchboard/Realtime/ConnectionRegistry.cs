using System.Collections.Concurrent;
using System.Net.WebSockets;

namespace Switchboard.Realtime;

/// <summary>
/// The sockets open on this instance, by room, and the delivery of room events to them: each
/// event is serialized once and the same bytes are queued on every socket of the room.
/// </summary>
public sealed class ConnectionRegistry
{
    private readonly ConcurrentDictionary<int, ConcurrentDictionary<SocketConnection, byte>> _rooms = new();
    private int _count;

    /// <summary>Raised when a room gains its first or loses its last local socket (Redis subscriptions follow it).</summary>
    public event Action<int, bool>? RoomActivityChanged;

    public int Count => Volatile.Read(ref _count);

    public void Add(SocketConnection connection)
    {
        var first = false;
        var room = _rooms.GetOrAdd(connection.RoomId, _ =>
        {
            first = true;
            return new ConcurrentDictionary<SocketConnection, byte>();
        });
        room.TryAdd(connection, 0);
        Interlocked.Increment(ref _count);
        if (first)
        {
            RoomActivityChanged?.Invoke(connection.RoomId, true);
        }
    }

    public void Remove(SocketConnection connection)
    {
        if (!_rooms.TryGetValue(connection.RoomId, out var room) || !room.TryRemove(connection, out _))
        {
            return;
        }
        Interlocked.Decrement(ref _count);
        if (room.IsEmpty && _rooms.TryRemove(new KeyValuePair<int, ConcurrentDictionary<SocketConnection, byte>>(connection.RoomId, room)))
        {
            RoomActivityChanged?.Invoke(connection.RoomId, false);
        }
    }

    public bool HasRoom(int roomId) => _rooms.ContainsKey(roomId);

    public IEnumerable<SocketConnection> InRoom(int roomId) =>
        _rooms.TryGetValue(roomId, out var room) ? room.Keys : [];

    /// <summary>Delivers an event to this instance's sockets of its room.</summary>
    public void Deliver(RoomEvent roomEvent)
    {
        if (!_rooms.TryGetValue(roomEvent.RoomId, out var room))
        {
            return;
        }
        ReadOnlyMemory<byte> payload = Protocol.ToUtf8(roomEvent.Frame);

        foreach (var connection in room.Keys)
        {
            if (roomEvent.ExceptUserId == connection.UserId)
            {
                continue;
            }
            var affected = roomEvent.AffectedUserId == connection.UserId;
            if (roomEvent.Effect == RoomEventEffect.DisconnectUser && affected)
            {
                connection.TrySend(payload);
                connection.Close(4403, "You are no longer in this room.");
                continue;
            }
            if (connection.TrySend(payload, roomEvent.Droppable))
            {
                Infrastructure.SwitchboardMetrics.Deliveries.Add(1);
            }
            if (roomEvent.Effect == RoomEventEffect.CloseRoom)
            {
                connection.Close(4403, "The room was deleted.");
            }
        }
    }

    public void CloseAll(WebSocketCloseStatus status, string reason)
    {
        foreach (var room in _rooms.Values)
        {
            foreach (var connection in room.Keys)
            {
                connection.Close(status, reason);
            }
        }
    }
}

/// <summary>A frame that arrived already serialized (from another instance through Redis).</summary>
public sealed record SerializedFrame(byte[] Utf8);
