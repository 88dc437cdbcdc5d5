using Microsoft.EntityFrameworkCore;
using Switchboard.Data;
using Switchboard.Features.Chat.Messages;
using Switchboard.Features.Users;

namespace Switchboard.Features.Chat.Rooms;

/// <summary>
/// Builds RoomDtos for a set of rooms in a fixed number of queries (rooms, participants, last
/// messages, unread counts), however many rooms there are: never one query per room.
/// </summary>
public sealed class RoomQueries(AppDbContext db, MessageMapper mapper)
{
    public async Task<RoomDto?> LoadAsync(int roomId, int viewerId, CancellationToken ct) =>
        (await LoadAsync([roomId], viewerId, ct)).SingleOrDefault();

    /// <returns>The rooms in the order of <paramref name="roomIds"/>.</returns>
    public async Task<IReadOnlyList<RoomDto>> LoadAsync(IReadOnlyCollection<int> roomIds, int viewerId, CancellationToken ct)
    {
        if (roomIds.Count == 0)
        {
            return [];
        }
        var ids = roomIds.ToList();
        var rooms = await db.Set<ChatRoom>().AsNoTracking().Include(r => r.CreatedBy)
            .Where(r => ids.Contains(r.Id)).ToDictionaryAsync(r => r.Id, ct);
        var participants = (await db.Set<ChatParticipant>().AsNoTracking().Include(p => p.User)
                .Where(p => ids.Contains(p.RoomId)).OrderBy(p => p.JoinedAt).ThenBy(p => p.Id).ToListAsync(ct))
            .ToLookup(p => p.RoomId);
        var lastIds = db.Set<ChatMessage>().Where(m => ids.Contains(m.RoomId)).GroupBy(m => m.RoomId).Select(g => g.Max(m => m.Id));
        var lastMessages = await MessageMapper.ToRows(db.Set<ChatMessage>().Where(m => lastIds.Contains(m.Id)))
            .ToDictionaryAsync(m => m.RoomId, ct);
        var unread = await (
                from m in db.Set<ChatMessage>()
                join p in db.Set<ChatParticipant>() on m.RoomId equals p.RoomId
                where p.UserId == viewerId && ids.Contains(m.RoomId) && m.UserId != viewerId
                      && (p.LastReadAt == null || m.CreatedAt > p.LastReadAt)
                group m by m.RoomId into g
                select new { RoomId = g.Key, Count = g.Count() })
            .ToDictionaryAsync(x => x.RoomId, x => x.Count, ct);

        var result = new List<RoomDto>(ids.Count);
        foreach (var id in ids)
        {
            if (!rooms.TryGetValue(id, out var room))
            {
                continue;
            }
            var people = participants[id].ToList();
            result.Add(new RoomDto(
                room.Id,
                room.Name,
                DisplayName(room, people, viewerId),
                room.Type.ToWire(),
                room.ProjectId,
                UserDto.From(room.CreatedBy),
                people.Select(p => new ParticipantDto(p.Id, UserDto.From(p.User), p.JoinedAt, p.LastReadAt)).ToList(),
                lastMessages.TryGetValue(id, out var last) ? mapper.ToDto(last, viewerId) : null,
                unread.GetValueOrDefault(id),
                room.CreatedAt,
                room.UpdatedAt));
        }
        return result;
    }

    /// <summary>One room as each of several people sees it, in a fixed number of queries.</summary>
    public async Task<IReadOnlyDictionary<int, RoomDto>> LoadForViewersAsync(int roomId, IReadOnlyCollection<int> viewerIds, CancellationToken ct)
    {
        var result = new Dictionary<int, RoomDto>();
        if (viewerIds.Count == 0)
        {
            return result;
        }
        var room = await db.Set<ChatRoom>().AsNoTracking().Include(r => r.CreatedBy).SingleOrDefaultAsync(r => r.Id == roomId, ct);
        if (room is null)
        {
            return result;
        }
        var people = await db.Set<ChatParticipant>().AsNoTracking().Include(p => p.User)
            .Where(p => p.RoomId == roomId).OrderBy(p => p.JoinedAt).ThenBy(p => p.Id).ToListAsync(ct);
        var last = await MessageMapper.ToRows(db.Set<ChatMessage>().Where(m => m.RoomId == roomId).OrderByDescending(m => m.Id).Take(1))
            .SingleOrDefaultAsync(ct);
        var viewers = viewerIds.ToList();
        var unread = await (
                from m in db.Set<ChatMessage>()
                join p in db.Set<ChatParticipant>() on m.RoomId equals p.RoomId
                where p.RoomId == roomId && viewers.Contains(p.UserId) && m.UserId != p.UserId
                      && (p.LastReadAt == null || m.CreatedAt > p.LastReadAt)
                group m by p.UserId into g
                select new { UserId = g.Key, Count = g.Count() })
            .ToDictionaryAsync(x => x.UserId, x => x.Count, ct);
        var participants = people.Select(p => new ParticipantDto(p.Id, UserDto.From(p.User), p.JoinedAt, p.LastReadAt)).ToList();
        foreach (var viewerId in viewers.Distinct())
        {
            result[viewerId] = new RoomDto(room.Id, room.Name, DisplayName(room, people, viewerId), room.Type.ToWire(), room.ProjectId,
                UserDto.From(room.CreatedBy), participants, last is null ? null : mapper.ToDto(last, viewerId),
                unread.GetValueOrDefault(viewerId), room.CreatedAt, room.UpdatedAt);
        }
        return result;
    }

    /// <summary>A group's name; for a direct room (or an unnamed group) the other people's names.</summary>
    private static string DisplayName(ChatRoom room, List<ChatParticipant> people, int viewerId)
    {
        if (room.Type == RoomType.Group && !string.IsNullOrWhiteSpace(room.Name))
        {
            return room.Name;
        }
        var others = people.Where(p => p.UserId != viewerId).Select(p => UserDto.DisplayNameOf(p.User)).ToList();
        if (others.Count == 0)
        {
            return room.Name ?? (room.Type == RoomType.Direct ? "Direct message" : "Group chat");
        }
        return others.Count <= 3 ? string.Join(", ", others) : $"{string.Join(", ", others.Take(3))} and {others.Count - 3} more";
    }
}
