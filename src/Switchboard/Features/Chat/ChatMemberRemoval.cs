using Microsoft.EntityFrameworkCore;
using Switchboard.Data;
using Switchboard.Features.Chat.Rooms;
using Switchboard.Features.Projects;
using Switchboard.Features.Users;
using Switchboard.Realtime;

namespace Switchboard.Features.Chat;

/// <summary>Someone leaving a project leaves every room of it, in the same transaction.</summary>
public sealed class ChatMemberRemoval(IRoomEvents events, RoomUserFrames frames) : IMemberRemovalStep
{
    private readonly List<(int ProjectId, int UserId, UserDto User, List<int> Rooms)> _removed = [];

    public async Task OnMemberRemovingAsync(AppDbContext db, int projectId, int userId, int actorId, CancellationToken ct)
    {
        var rooms = await db.Set<ChatParticipant>()
            .Where(p => p.UserId == userId && p.Room.ProjectId == projectId).Select(p => p.RoomId).ToListAsync(ct);
        if (rooms.Count == 0)
        {
            return;
        }
        var user = await db.Users.AsNoTracking().SingleAsync(u => u.Id == userId, ct);
        await db.Set<ChatParticipant>().Where(p => p.UserId == userId && rooms.Contains(p.RoomId)).ExecuteDeleteAsync(ct);
        // A direct room with someone who left is history now; opening a conversation again makes a new one.
        await db.Set<ChatRoom>().Where(r => rooms.Contains(r.Id) && r.DirectKey != null)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.DirectKey, (string?)null), ct);
        _removed.Add((projectId, userId, UserDto.From(user), rooms));
    }

    public async Task OnMemberRemovedAsync(int projectId, int userId, CancellationToken ct)
    {
        foreach (var removal in _removed.Where(r => r.ProjectId == projectId && r.UserId == userId).ToList())
        {
            _removed.Remove(removal);
            foreach (var roomId in removal.Rooms)
            {
                await frames.RemovedAsync(roomId, [userId], ct);
                await events.PublishAsync(new RoomEvent(roomId, new UserLeftFrame(removal.User),
                    Effect: RoomEventEffect.DisconnectUser, AffectedUserId: userId), ct);
                await frames.UpdatedAsync(roomId, ct);
            }
        }
    }
}
