using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;

namespace Switchboard.Realtime;

/// <summary>
/// The sockets open on this instance, by room, by user and by topic, and the delivery of events
/// to them: each event is serialized once and the same bytes are queued on every socket that gets
/// it. Membership changes take one lock; deliveries read without it.
/// </summary>
public sealed class ConnectionRegistry(UnreadCounts unread)
{
    private readonly ConcurrentDictionary<int, ConcurrentDictionary<SocketConnection, byte>> _rooms = new();
    private readonly ConcurrentDictionary<int, ConcurrentDictionary<SocketConnection, byte>> _users = new();
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<SocketConnection, byte>> _topics = new();
    private readonly Lock _gate = new();
    private int _count;

    /// <summary>Raised when a room gains its first or loses its last local socket (Redis subscriptions follow it).</summary>
    public event Action<int, bool>? RoomActivityChanged;

    /// <summary>Raised when a socket of a user opens (true) or closes (false): presence follows it.</summary>
    public event Action<int, bool>? UserSocketChanged;

    public int Count => Volatile.Read(ref _count);

    public void Add(SocketConnection connection)
    {
        var roomActivated = false;
        lock (_gate)
        {
            _users.GetOrAdd(connection.UserId, _ => new()).TryAdd(connection, 0);
            if (connection.RoomId > 0)
            {
                roomActivated = AddTo(_rooms, connection.RoomId, connection);
            }
        }
        Interlocked.Increment(ref _count);
        if (roomActivated)
        {
            RoomActivityChanged?.Invoke(connection.RoomId, true);
        }
        UserSocketChanged?.Invoke(connection.UserId, true);
    }

    public void Remove(SocketConnection connection)
    {
        var idleRooms = new List<int>();
        lock (_gate)
        {
            if (!RemoveFrom(_users, connection.UserId, connection))
            {
                return;
            }
            if (connection.RoomId > 0 && RemoveFrom(_rooms, connection.RoomId, connection) && !_rooms.ContainsKey(connection.RoomId))
            {
                idleRooms.Add(connection.RoomId);
            }
            foreach (var roomId in connection.Rooms)
            {
                if (RemoveFrom(_rooms, roomId, connection) && !_rooms.ContainsKey(roomId))
                {
                    idleRooms.Add(roomId);
                }
            }
            connection.Rooms.Clear();
            foreach (var topic in connection.Topics.Keys)
            {
                RemoveFrom(_topics, topic, connection);
            }
            connection.Topics.Clear();
        }
        Interlocked.Decrement(ref _count);
        foreach (var roomId in idleRooms)
        {
            RoomActivityChanged?.Invoke(roomId, false);
        }
        UserSocketChanged?.Invoke(connection.UserId, false);
    }

    /// <summary>A user socket starts carrying a room's events.</summary>
    public void JoinRoom(SocketConnection connection, int roomId)
    {
        bool activated;
        lock (_gate)
        {
            if (!_users.TryGetValue(connection.UserId, out var mine) || !mine.ContainsKey(connection) || !connection.Rooms.Add(roomId))
            {
                return;
            }
            activated = AddTo(_rooms, roomId, connection);
        }
        if (activated)
        {
            RoomActivityChanged?.Invoke(roomId, true);
        }
    }

    /// <summary>A user socket stops carrying a room's events, at once.</summary>
    public void LeaveRoom(SocketConnection connection, int roomId)
    {
        bool idle;
        lock (_gate)
        {
            if (!connection.Rooms.Remove(roomId))
            {
                return;
            }
            idle = RemoveFrom(_rooms, roomId, connection) && !_rooms.ContainsKey(roomId);
        }
        unread.Forget(connection, roomId);
        if (idle)
        {
            RoomActivityChanged?.Invoke(roomId, false);
        }
    }

    public bool IsInRoom(SocketConnection connection, int roomId)
    {
        lock (_gate)
        {
            return connection.RoomId == roomId || connection.Rooms.Contains(roomId);
        }
    }

    /// <summary>Subscribes a user socket to a topic of a project; false when it already has too many.</summary>
    public bool Subscribe(SocketConnection connection, string topic, int projectId)
    {
        lock (_gate)
        {
            if (!_users.TryGetValue(connection.UserId, out var mine) || !mine.ContainsKey(connection))
            {
                return true;
            }
            if (connection.Topics.ContainsKey(topic))
            {
                return true;
            }
            if (connection.Topics.Count >= Topics.MaxPerSocket)
            {
                return false;
            }
            connection.Topics[topic] = projectId;
            AddTo(_topics, topic, connection);
            return true;
        }
    }

    public void Unsubscribe(SocketConnection connection, string topic)
    {
        lock (_gate)
        {
            if (connection.Topics.Remove(topic))
            {
                RemoveFrom(_topics, topic, connection);
            }
        }
    }

    /// <returns>The topics of <paramref name="projectId"/> the socket was subscribed to, now ended.</returns>
    private List<string> UnsubscribeProject(SocketConnection connection, int projectId)
    {
        lock (_gate)
        {
            var ended = connection.Topics.Where(t => t.Value == projectId).Select(t => t.Key).ToList();
            foreach (var topic in ended)
            {
                connection.Topics.Remove(topic);
                RemoveFrom(_topics, topic, connection);
            }
            return ended;
        }
    }

    public bool HasRoom(int roomId) => _rooms.ContainsKey(roomId);

    public IEnumerable<SocketConnection> InRoom(int roomId) =>
        _rooms.TryGetValue(roomId, out var room) ? room.Keys : [];

    public IEnumerable<SocketConnection> OfUser(int userId) =>
        _users.TryGetValue(userId, out var mine) ? mine.Keys : [];

    /// <summary>Users with at least one socket here.</summary>
    public ICollection<int> Users => _users.Keys;

    /// <summary>Delivers a room event to this instance's sockets of its room.</summary>
    public void Deliver(RoomEvent roomEvent)
    {
        if (!_rooms.TryGetValue(roomEvent.RoomId, out var room))
        {
            return;
        }
        ReadOnlyMemory<byte> payload = roomEvent.Utf8;
        ReadOnlyMemory<byte>? roomTag = null;

        // Enumerating the set itself takes no lock and copies nothing (its Keys would take every
        // lock and copy the room's sockets into a new list, once per event).
        foreach (var (connection, _) in room)
        {
            if (roomEvent.ExceptUserId == connection.UserId)
            {
                continue;
            }
            var affected = roomEvent.AffectedUserId == connection.UserId;
            if (connection.Sequenced)
            {
                roomTag ??= RoomTag(payload.Span, roomEvent.RoomId);
                DeliverToUserSocket(connection, roomEvent, payload, roomTag.Value, affected);
                continue;
            }
            if (roomEvent.Effect == RoomEventEffect.DisconnectUser && affected)
            {
                connection.TrySend(payload);
                connection.Close(4403, "You are no longer in this room.");
                continue;
            }
            connection.TrySend(payload, roomEvent.Droppable);
            if (roomEvent.Effect == RoomEventEffect.CloseRoom)
            {
                connection.Close(4403, "The room was deleted.");
            }
        }
    }

    private void DeliverToUserSocket(SocketConnection connection, RoomEvent roomEvent, ReadOnlyMemory<byte> payload,
        ReadOnlyMemory<byte> roomTag, bool affected)
    {
        switch (roomEvent.Effect)
        {
            case RoomEventEffect.DisconnectUser when affected:
                // Nothing of the room from now on; the room_removed user frame tells the client.
                LeaveRoom(connection, roomEvent.RoomId);
                return;
            case RoomEventEffect.CloseRoom:
                connection.TrySend(payload, roomTag);
                LeaveRoom(connection, roomEvent.RoomId);
                return;
        }
        if (!connection.TrySend(payload, roomTag, roomEvent.Droppable))
        {
            return;
        }
        switch (roomEvent.Effect)
        {
            case RoomEventEffect.MessageAdded when !affected:
                unread.Increment(connection, roomEvent.RoomId);
                break;
            case RoomEventEffect.MessageRemoved:
                unread.Recount(connection, roomEvent.RoomId);
                break;
            case RoomEventEffect.Read when affected:
                unread.Clear(connection, roomEvent.RoomId);
                break;
        }
    }

    /// <summary>Delivers a user event to this instance's user sockets of its users.</summary>
    public void Deliver(UserEvent userEvent)
    {
        ReadOnlyMemory<byte>? payload = userEvent.Frame is null ? null : Protocol.ToUtf8(userEvent.Frame);
        var unread = payload is { } frameBytes ? UnreadCounts.Find(userEvent.Frame, frameBytes.Span) : null;
        foreach (var userId in userEvent.UserIds)
        {
            if (!_users.TryGetValue(userId, out var mine))
            {
                continue;
            }
            foreach (var (connection, _) in mine)
            {
                if (!connection.Sequenced)
                {
                    continue;
                }
                switch (userEvent.Effect)
                {
                    case UserEventEffect.JoinRoom:
                        JoinRoom(connection, userEvent.SubjectId);
                        break;
                    case UserEventEffect.LeaveRoom:
                        LeaveRoom(connection, userEvent.SubjectId);
                        break;
                    case UserEventEffect.LeaveProject:
                        Interlocked.Increment(ref connection.ProjectRemovals);
                        var ended = UnsubscribeProject(connection, userEvent.SubjectId);
                        if (ended.Count > 0)
                        {
                            connection.TrySend(Protocol.ToUtf8(new UnsubscribedFrame(ended)));
                        }
                        break;
                }
                if (unread is not null)
                {
                    UnreadCounts.Adopt(connection, unread);
                }
                if (payload is { } bytes)
                {
                    connection.TrySend(bytes);
                }
            }
        }
    }

    /// <summary>Delivers a topic event once to every local socket subscribed to any of its topics.</summary>
    public void Deliver(TopicEvent topicEvent)
    {
        ReadOnlyMemory<byte>? payload = null;
        HashSet<SocketConnection>? seen = topicEvent.Topics.Count > 1 ? [] : null;
        foreach (var topic in topicEvent.Topics)
        {
            if (!_topics.TryGetValue(topic, out var subscribers))
            {
                continue;
            }
            payload ??= Protocol.ToUtf8(topicEvent.Frame);
            foreach (var (connection, _) in subscribers)
            {
                if (seen is null || seen.Add(connection))
                {
                    connection.TrySend(payload.Value);
                }
            }
        }
    }

    /// <summary>Closes every socket of an ended session with 4401.</summary>
    public void CloseSession(int userId, long sessionId)
    {
        foreach (var connection in OfUser(userId))
        {
            if (connection.SessionId == sessionId)
            {
                connection.Close(4401, "The session ended. Sign in again.");
            }
        }
    }

    public void CloseAll(WebSocketCloseStatus status, string reason)
    {
        foreach (var mine in _users.Values)
        {
            foreach (var connection in mine.Keys)
            {
                connection.Close(status, reason);
            }
        }
    }

    /// <summary>Closes user sockets that sent nothing (not even a ping) since <paramref name="sinceTicks"/>.</summary>
    public void CloseSilent(long sinceTicks)
    {
        foreach (var mine in _users.Values)
        {
            foreach (var connection in mine.Keys)
            {
                if (connection.Sequenced && Interlocked.Read(ref connection.LastReceivedTicks) < sinceTicks)
                {
                    connection.Close(4408, "No ping within twice heartbeat_seconds.");
                }
            }
        }
    }

    /// <summary><c>"room_id":N,</c>, or nothing when the frame carries its room_id itself.</summary>
    private static ReadOnlyMemory<byte> RoomTag(ReadOnlySpan<byte> payload, int roomId) =>
        Protocol.HasTopLevelProperty(payload, "room_id"u8) ? ReadOnlyMemory<byte>.Empty : Encoding.UTF8.GetBytes($"\"room_id\":{roomId},");

    private static bool AddTo<TKey>(ConcurrentDictionary<TKey, ConcurrentDictionary<SocketConnection, byte>> map, TKey key,
        SocketConnection connection) where TKey : notnull
    {
        var first = false;
        var set = map.GetOrAdd(key, _ =>
        {
            first = true;
            return new ConcurrentDictionary<SocketConnection, byte>();
        });
        set.TryAdd(connection, 0);
        return first;
    }

    /// <returns>Whether the connection was there.</returns>
    private static bool RemoveFrom<TKey>(ConcurrentDictionary<TKey, ConcurrentDictionary<SocketConnection, byte>> map, TKey key,
        SocketConnection connection) where TKey : notnull
    {
        if (!map.TryGetValue(key, out var set) || !set.TryRemove(connection, out _))
        {
            return false;
        }
        if (set.IsEmpty)
        {
            map.TryRemove(key, out _);
        }
        return true;
    }
}

/// <summary>A frame that arrived already serialized (from another instance through Redis).</summary>
public sealed record SerializedFrame(byte[] Utf8);
