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
        var lastIds = db.Set<ChatMessage>().Timeline().Where(m => ids.Contains(m.RoomId)).GroupBy(m => m.RoomId).Select(g => g.Max(m => m.Id));
        var lastMessages = await MessageMapper.ToRows(db.Set<ChatMessage>().Where(m => lastIds.Contains(m.Id)))
            .ToDictionaryAsync(m => m.RoomId, ct);
        var lastDtos = (await mapper.ToDtosAsync(db, lastMessages.Values, viewerId, forRoom: true, ct)).ToDictionary(m => m.Room);
        var counts = await RoomCounts.LoadAsync(db, ids, [viewerId], ct);

        var result = new List<RoomDto>(ids.Count);
        foreach (var id in ids)
        {
            if (!rooms.TryGetValue(id, out var room))
            {
                continue;
            }
            var people = participants[id].ToList();
            var count = counts.GetValueOrDefault((id, viewerId), RoomCount.Zero);
            result.Add(new RoomDto(
                room.Id,
                room.Name,
                DisplayName(room, people, viewerId),
                room.Type.ToWire(),
                room.ProjectId,
                UserDto.From(room.CreatedBy),
                people.Select(p => Participant(p, viewerId)).ToList(),
                lastDtos.GetValueOrDefault(id),
                count.Unread,
                room.CreatedAt,
                room.UpdatedAt,
                count.Mentions,
                count.UnreadThreads));
        }
        return result;
    }

    /// <summary>Someone else's read mark only when they share read receipts.</summary>
    private static ParticipantDto Participant(ChatParticipant p, int viewerId)
    {
        var shown = p.UserId == viewerId || p.User.ShareReadReceipts;
        return new ParticipantDto(p.Id, UserDto.From(p.User), p.JoinedAt, shown ? p.LastReadAt : null,
            shown && p.LastReadMessageId is > 0 ? p.LastReadMessageId : null);
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
        var last = await MessageMapper.ToRows(db.Set<ChatMessage>().Timeline().Where(m => m.RoomId == roomId).OrderByDescending(m => m.Id).Take(1))
            .SingleOrDefaultAsync(ct);
        var viewers = viewerIds.ToList();
        var counts = await RoomCounts.LoadAsync(db, [roomId], viewers, ct);
        foreach (var viewerId in viewers.Distinct())
        {
            var count = counts.GetValueOrDefault((roomId, viewerId), RoomCount.Zero);
            result[viewerId] = new RoomDto(room.Id, room.Name, DisplayName(room, people, viewerId), room.Type.ToWire(), room.ProjectId,
                UserDto.From(room.CreatedBy), people.Select(p => Participant(p, viewerId)).ToList(),
                last is null ? null : mapper.ToDto(last, viewerId),
                count.Unread, room.CreatedAt, room.UpdatedAt, count.Mentions, count.UnreadThreads);
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
