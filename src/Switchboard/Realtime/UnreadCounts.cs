namespace Switchboard.Realtime;

/// <summary>What sockets need from the chat feature: who is in a room, the user's rooms and their unread counts.</summary>
public interface ISocketRooms
{
    Task<bool> IsParticipantAsync(int roomId, int userId, CancellationToken ct);

    /// <summary>Every room the user is in now, with its unread, mention and unread-thread counts.</summary>
    Task<IReadOnlyDictionary<int, RoomUnread>> UnreadByRoomAsync(int userId, CancellationToken ct);

    /// <summary>One room's unread count, or null when the user is no longer in it.</summary>
    Task<int?> UnreadAsync(int userId, int roomId, CancellationToken ct);
}

/// <summary>A room's counts for one user: unread messages by others, unread mentions, followed threads with unread replies.</summary>
public sealed record RoomUnread(int Unread, int Mentions, int Threads);

public sealed record UnreadUpdatedFrame(int RoomId, int UnreadCount, int MentionCount, int UnreadThreadCount)
{
    [System.Text.Json.Serialization.JsonPropertyOrder(-1)]
    public string Type => "unread_updated";
}

/// <summary>
/// Keeps each user socket's unread count per room and sends <c>unread_updated</c> when it moves.
/// The counts follow the room events the socket receives anyway (a message by someone else adds
/// one, the user's own read clears them), so a message costs no query per recipient; a count
/// not known yet, or one a deletion may have changed, is read once from the database.
/// </summary>
public sealed class UnreadCounts(IServiceScopeFactory scopes, ILogger<UnreadCounts> logger)
{
    /// <summary>
    /// Seeds a new socket's counts (from the query that listed its rooms), the mention and thread
    /// counts included: the frames the socket makes itself carry them until the feature sends new ones.
    /// </summary>
    public void Seed(SocketConnection connection, IReadOnlyDictionary<int, RoomUnread> counts)
    {
        lock (connection.Unread)
        {
            foreach (var (roomId, count) in counts)
            {
                connection.Unread[roomId] = count.Unread;
                connection.UnreadExtras[roomId] = (count.Mentions, count.Threads);
            }
        }
    }

    public void Increment(SocketConnection connection, int roomId)
    {
        int count;
        lock (connection.Unread)
        {
            if (!connection.Unread.TryGetValue(roomId, out count))
            {
                count = -1;
            }
            else
            {
                connection.Unread[roomId] = ++count;
            }
        }
        if (count < 0)
        {
            Recount(connection, roomId);
            return;
        }
        Send(connection, roomId, count);
    }

    public void Clear(SocketConnection connection, int roomId)
    {
        lock (connection.Unread)
        {
            connection.Unread[roomId] = 0;
        }
        Send(connection, roomId, 0);
    }

    public void Forget(SocketConnection connection, int roomId)
    {
        lock (connection.Unread)
        {
            connection.Unread.Remove(roomId);
        }
    }

    /// <summary>Reads the count again in the background and sends it.</summary>
    public void Recount(SocketConnection connection, int roomId) => _ = RecountAsync(connection, roomId);

    private async Task RecountAsync(SocketConnection connection, int roomId)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var count = await scope.ServiceProvider.GetRequiredService<ISocketRooms>()
                .UnreadAsync(connection.UserId, roomId, connection.Closing);
            if (count is null)
            {
                return;
            }
            lock (connection.Unread)
            {
                connection.Unread[roomId] = count.Value;
            }
            Send(connection, roomId, count.Value);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Could not count the unread messages of room {RoomId}", roomId);
        }
        catch (OperationCanceledException)
        {
            // The socket closed meanwhile.
        }
    }

    /// <summary>
    /// The chat feature also sends <c>unread_updated</c> (with the mention and thread counts it
    /// reads from the database) as a user event. The socket keeps those numbers, so the frames it
    /// makes itself from room events carry them too and a client never sees the counts go back.
    /// </summary>
    public static void Adopt(SocketConnection connection, UnreadUpdatedFrame frame)
    {
        lock (connection.Unread)
        {
            connection.Unread[frame.RoomId] = frame.UnreadCount;
            connection.UnreadExtras[frame.RoomId] = (frame.MentionCount, frame.UnreadThreadCount);
        }
    }

    /// <summary>The <c>unread_updated</c> frame a user event carries, in memory or as bytes from another instance.</summary>
    public static UnreadUpdatedFrame? Find(object? frame, ReadOnlySpan<byte> utf8)
    {
        if (frame is UnreadUpdatedFrame unread)
        {
            return unread;
        }
        if (!utf8.StartsWith("{\"type\":\"unread_updated\""u8))
        {
            return null;
        }
        using var document = System.Text.Json.JsonDocument.Parse(utf8.ToArray());
        var root = document.RootElement;
        return new UnreadUpdatedFrame(root.GetProperty("room_id").GetInt32(), root.GetProperty("unread_count").GetInt32(),
            root.GetProperty("mention_count").GetInt32(), root.GetProperty("unread_thread_count").GetInt32());
    }

    private static void Send(SocketConnection connection, int roomId, int count)
    {
        (int Mentions, int Threads) extras;
        lock (connection.Unread)
        {
            extras = connection.UnreadExtras.GetValueOrDefault(roomId);
            if (count == 0)
            {
                // Nothing unread is left, so no unread message mentions the reader either; after a
                // partial read the feature's own frame follows with the real numbers.
                extras = (0, extras.Threads);
                connection.UnreadExtras[roomId] = extras;
            }
        }
        connection.TrySend(Protocol.ToUtf8(new UnreadUpdatedFrame(roomId, count, extras.Mentions, extras.Threads)));
    }
}
