using Microsoft.EntityFrameworkCore;
using Switchboard.Data;
using Switchboard.Features.Chat.Messages;
using Switchboard.Features.Users;

namespace Switchboard.Features.Chat.Threads;

public sealed record ThreadSummaryDto(int ReplyCount, DateTime? LastReplyAt, IReadOnlyList<int> ParticipantIds);

public static class ThreadSummary
{
    public const int MaxParticipants = 10;

    /// <summary>
    /// Recomputes a root's summary from its replies and stores it on the root, inside the caller's
    /// transaction. The root's row is locked first: a concurrent reply waits, and then reads the
    /// other's committed reply, so the last writer always stores a complete summary.
    /// </summary>
    public static async Task<ThreadSummaryDto> RefreshAsync(AppDbContext db, int rootId, CancellationToken ct)
    {
        var roots = db.Set<ChatMessage>().Where(m => m.Id == rootId);
        await roots.ExecuteUpdateAsync(s => s.SetProperty(m => m.ReplyCount, m => m.ReplyCount), ct);
        var replies = db.Set<ChatMessage>().Where(m => m.ThreadRootId == rootId);
        var totals = await replies.GroupBy(m => m.ThreadRootId)
            .Select(g => new { Count = g.Count(), Last = g.Max(m => m.CreatedAt) }).SingleOrDefaultAsync(ct);
        var people = await replies.GroupBy(m => m.UserId).Select(g => new { UserId = g.Key, Latest = g.Max(m => m.Id) })
            .OrderByDescending(x => x.Latest).Take(MaxParticipants).Select(x => x.UserId).ToListAsync(ct);
        var summary = new ThreadSummaryDto(totals?.Count ?? 0, totals?.Last, people);
        var csv = people.Count == 0 ? null : string.Join(',', people);
        await roots.ExecuteUpdateAsync(s => s
            .SetProperty(m => m.ReplyCount, summary.ReplyCount)
            .SetProperty(m => m.LastReplyAt, summary.LastReplyAt)
            .SetProperty(m => m.ThreadParticipantIds, csv), ct);
        return summary;
    }

    /// <summary>
    /// Makes <paramref name="userId"/> follow the thread. <paramref name="readAt"/> also moves their
    /// read mark (a replier has read what they answered); <paramref name="onlyIfNew"/> leaves an
    /// earlier unfollow alone (the root's author follows by default, not again after unfollowing).
    /// </summary>
    public static Task FollowAsync(AppDbContext db, int rootId, int roomId, int userId, DateTime? readAt, bool onlyIfNew,
        CancellationToken ct)
    {
        // One statement on both databases, so that two replies at once cannot insert the row twice.
        if (onlyIfNew)
        {
            return db.Database.ExecuteSqlAsync($"""
                INSERT INTO chat_thread_follows ("RootId", "UserId", "RoomId", "IsFollowing", "LastReadAt")
                VALUES ({rootId}, {userId}, {roomId}, {true}, {readAt})
                ON CONFLICT ("RootId", "UserId") DO NOTHING
                """, ct);
        }
        return readAt is null
            ? db.Database.ExecuteSqlAsync($"""
                INSERT INTO chat_thread_follows ("RootId", "UserId", "RoomId", "IsFollowing", "LastReadAt")
                VALUES ({rootId}, {userId}, {roomId}, {true}, {readAt})
                ON CONFLICT ("RootId", "UserId") DO UPDATE SET "IsFollowing" = {true}
                """, ct)
            : db.Database.ExecuteSqlAsync($"""
                INSERT INTO chat_thread_follows ("RootId", "UserId", "RoomId", "IsFollowing", "LastReadAt")
                VALUES ({rootId}, {userId}, {roomId}, {true}, {readAt})
                ON CONFLICT ("RootId", "UserId") DO UPDATE SET "IsFollowing" = {true}, "LastReadAt" = {readAt}
                """, ct);
    }

    public static async Task<IReadOnlyList<UserDto>> UsersAsync(AppDbContext db, IReadOnlyList<int> ids, CancellationToken ct)
    {
        if (ids.Count == 0)
        {
            return [];
        }
        var users = await db.Users.Where(u => ids.Contains(u.Id))
            .Select(u => new UserRow(u.Id, u.Username, u.Email, u.FirstName, u.LastName, u.AvatarId)).ToDictionaryAsync(u => u.Id, ct);
        return ids.Where(users.ContainsKey).Select(id => users[id].ToDto()).ToList();
    }
}
