using Microsoft.EntityFrameworkCore;
using Switchboard.Data;
using Switchboard.Realtime;

namespace Switchboard.Features.Chat.Rooms;

/// <summary>
/// Tells people's user sockets that their rooms changed (after commit): <c>room_added</c> to who
/// joined, <c>room_removed</c> to who left, <c>room_updated</c> to everyone still in the room.
/// Each frame carries the room as that person sees it.
/// </summary>
public sealed class RoomUserFrames(AppDbContext db, RoomQueries rooms, IUserEvents users)
{
    public async Task AddedAsync(int roomId, IReadOnlyCollection<int> userIds, CancellationToken ct)
    {
        foreach (var (userId, room) in await rooms.LoadForViewersAsync(roomId, userIds, ct))
        {
            await users.PublishAsync(new UserEvent(userId, new RoomAddedFrame(room), UserEventEffect.JoinRoom, roomId), ct);
        }
    }

    public async Task RemovedAsync(int roomId, IEnumerable<int> userIds, CancellationToken ct)
    {
        foreach (var userId in userIds)
        {
            await users.PublishAsync(new UserEvent(userId, new RoomRemovedFrame(roomId), UserEventEffect.LeaveRoom, roomId), ct);
        }
    }

    /// <summary>room_updated to every participant, except those just told with room_added.</summary>
    public async Task UpdatedAsync(int roomId, CancellationToken ct, params int[] except)
    {
        var participants = await db.Set<ChatParticipant>().Where(p => p.RoomId == roomId && !except.Contains(p.UserId))
            .Select(p => p.UserId).ToListAsync(ct);
        foreach (var (userId, room) in await rooms.LoadForViewersAsync(roomId, participants, ct))
        {
            await users.PublishAsync(new UserEvent(userId, new RoomUpdatedFrame(room)), ct);
        }
    }
}
