using System.Net.WebSockets;

namespace Switchboard.Realtime;

/// <summary>
/// The two socket routes. <c>/ws/chat/{room_id}/</c> carries one room with the Part 1 frames;
/// <c>/ws/</c> (the user socket) carries every room of the user, user frames and topics, with
/// numbered frames. Both share the handshake, the session and the delivery.
/// </summary>
public static class SocketEndpoints
{
    public static async Task RoomSocketAsync(HttpContext http, int roomId, SocketServices services, IRoomEvents events)
    {
        var (refusal, identity) = await services.Handshake.BeforeUpgradeAsync(http);
        if (refusal is not null)
        {
            await refusal.ExecuteAsync(http);
            return;
        }
        if (identity is not null)
        {
            if (!await IsParticipantAsync(services, roomId, identity.UserId, http.RequestAborted))
            {
                await Infrastructure.Problems.Forbidden("You are not a participant of this room.").ExecuteAsync(http);
                return;
            }
            // Listen for the room's events from other instances before the client sees the socket
            // open: an event published right after the handshake must not slip past this instance.
            await events.ListenAsync(roomId);
        }
        var checkedAlready = identity is not null;
        await RunAsync(http, services, identity, async (socket, buffer, known) =>
        {
            // A token from the URL was checked before the upgrade; one from an auth frame is checked now.
            if (!checkedAlready && !await IsParticipantAsync(services, roomId, known.UserId, http.RequestAborted))
            {
                await SocketHandshake.CloseAsync(socket, 4403, "You are not a participant of this room.");
                return;
            }
            var connection = new SocketConnection(socket, roomId, known.UserId, known.SessionId);
            var session = new SocketSession(socket, connection, known, services);
            // Listen again once registered: a subscription taken before the handshake is dropped if the
            // room's last other socket here closed in between (and first-frame auth takes none).
            await session.RunAsync(buffer, () => events.ListenAsync(roomId).AsTask(), http.RequestAborted);
        });
    }

    public static async Task UserSocketAsync(HttpContext http, SocketServices services, IRoomEvents events, UnreadCounts unread)
    {
        var (refusal, identity) = await services.Handshake.BeforeUpgradeAsync(http);
        if (refusal is not null)
        {
            await refusal.ExecuteAsync(http);
            return;
        }
        await RunAsync(http, services, identity, async (socket, buffer, known) =>
        {
            IReadOnlyDictionary<int, RoomUnread> rooms;
            await using (var scope = services.Scopes.CreateAsyncScope())
            {
                rooms = await scope.ServiceProvider.GetRequiredService<ISocketRooms>().UnreadByRoomAsync(known.UserId, http.RequestAborted);
            }
            var connection = SocketConnection.ForUser(socket, known.UserId, known.SessionId);
            // hello is queued before the socket is registered, so it is always seq 1.
            connection.TrySend(Protocol.ToUtf8(new HelloFrame(known.UserId, known.SessionId, DateTime.UtcNow, services.Options.HeartbeatSeconds)));
            var session = new SocketSession(socket, connection, known, services);
            await session.RunAsync(buffer, async () =>
            {
                unread.Seed(connection, rooms);
                foreach (var roomId in rooms.Keys)
                {
                    services.Registry.JoinRoom(connection, roomId);
                }
                await Task.WhenAll(rooms.Keys.Select(r => events.ListenAsync(r).AsTask()));
            }, http.RequestAborted);
        });
    }

    /// <summary>Accepts the socket, authenticates it by its first frame when the URL had no token, and runs it.</summary>
    private static async Task RunAsync(HttpContext http, SocketServices services, SocketIdentity? identity,
        Func<WebSocket, FrameBuffer, SocketIdentity, Task> run)
    {
        using var socket = await http.WebSockets.AcceptWebSocketAsync();
        var buffer = new FrameBuffer();
        try
        {
            identity ??= await services.Handshake.AuthenticateByFrameAsync(socket, buffer, http.RequestAborted);
            if (identity is not null)
            {
                await run(socket, buffer, identity);
            }
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

    private static async Task<bool> IsParticipantAsync(SocketServices services, int roomId, int userId, CancellationToken ct)
    {
        await using var scope = services.Scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ISocketRooms>().IsParticipantAsync(roomId, userId, ct);
    }
}
