using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Switchboard.Data;
using Switchboard.Features.Chat.Rooms;
using Switchboard.Features.Users;

namespace Switchboard.Features.Notifications;

/// <summary>
/// Creates notifications inside the caller's unit of work (they commit with the change that caused
/// them) and pushes them to their recipients once the caller says the change is committed.
/// </summary>
public sealed class Notifier(AppDbContext db, IUserPush push, ILogger<Notifier> logger)
{
    private readonly List<Notification> _pending = [];

    /// <summary>Adds a notification to the context; never for the actor's own action.</summary>
    public void Add(int userId, string type, int? actorId, DateTime now, string excerpt,
        int? projectId = null, int? roomId = null, int? messageId = null, int? ticketId = null) =>
        Add(db, userId, type, actorId, now, excerpt, projectId, roomId, messageId, ticketId);

    /// <summary>
    /// Adds a notification to <paramref name="tx"/>, the context whose transaction the change is in
    /// (a send on SQLite stages in the group-commit writer's context, not this scope's).
    /// </summary>
    public void Add(AppDbContext tx, int userId, string type, int? actorId, DateTime now, string excerpt,
        int? projectId = null, int? roomId = null, int? messageId = null, int? ticketId = null)
    {
        if (userId == actorId)
        {
            return;
        }
        var notification = new Notification
        {
            UserId = userId,
            Type = type,
            ActorId = actorId,
            ProjectId = projectId,
            RoomId = roomId,
            MessageId = messageId,
            TicketId = ticketId,
            Excerpt = Excerpt(excerpt),
            CreatedAt = now,
        };
        tx.Add(notification);
        _pending.Add(notification);
    }

    public IReadOnlyList<Notification> Pending => _pending;

    /// <summary>The transaction was rolled back: nothing to announce.</summary>
    public void Discard() => _pending.Clear();

    /// <summary>Pushes <c>notification_created</c> for everything added since the last call; call after commit.</summary>
    public async Task PublishAsync(CancellationToken ct = default)
    {
        if (_pending.Count == 0)
        {
            return;
        }
        var created = _pending.ToList();
        _pending.Clear();
        var actorIds = created.Where(n => n.ActorId is not null).Select(n => n.ActorId!.Value).Distinct().ToList();
        var actors = await db.Users.AsNoTracking().Where(u => actorIds.Contains(u.Id))
            .Select(u => new UserRow(u.Id, u.Username, u.Email, u.FirstName, u.LastName, u.AvatarId))
            .ToDictionaryAsync(u => u.Id, u => u.ToDto(), CancellationToken.None);
        foreach (var n in created)
        {
            await PushAsync(n.UserId, new NotificationCreatedFrame(ToDto(n, n.ActorId is { } a ? actors.GetValueOrDefault(a) : null)), ct);
        }
    }

    /// <summary>Marks the caller's unread notifications matching <paramref name="which"/> read and tells their sockets.</summary>
    public async Task<IReadOnlyList<long>> MarkReadAsync(int userId, Expression<Func<Notification, bool>> which, DateTime now,
        CancellationToken ct = default)
    {
        var ids = await db.Set<Notification>().Where(n => n.UserId == userId && n.ReadAt == null).Where(which)
            .Select(n => n.Id).ToListAsync(ct);
        if (ids.Count == 0)
        {
            return ids;
        }
        await db.Set<Notification>().Where(n => ids.Contains(n.Id) && n.ReadAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(n => n.ReadAt, now), ct);
        await PushAsync(userId, new NotificationsReadFrame(ids), ct);
        return ids;
    }

    /// <summary>The notifications <paramref name="userId"/> may see now: removal from a project or room hides them.</summary>
    public static IQueryable<Notification> VisibleTo(AppDbContext db, int userId) =>
        db.Set<Notification>().Where(n => n.UserId == userId
            && (n.ProjectId == null || db.ProjectMembers.Any(m => m.ProjectId == n.ProjectId && m.UserId == userId))
            && (n.RoomId == null || db.Set<ChatParticipant>().Any(p => p.RoomId == n.RoomId && p.UserId == userId)));

    public static NotificationDto ToDto(Notification n, UserDto? actor) =>
        new(n.Id, n.Type, actor, n.ProjectId, n.RoomId, n.MessageId, n.TicketId, n.Excerpt, n.CreatedAt, n.ReadAt);

    public async Task PushAsync(int userId, object frame, CancellationToken ct)
    {
        try
        {
            await push.PushAsync(userId, frame, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The change is committed; a client that missed the frame catches up through the REST list.
            logger.LogWarning(e, "Could not push a {Frame} to user {UserId}", frame.GetType().Name, userId);
        }
    }

    /// <summary>The start of a text, on one line, cut at a word where it can be.</summary>
    public static string Excerpt(string text)
    {
        var flat = string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        if (flat.Length <= Notification.MaxExcerptLength)
        {
            return flat;
        }
        var cut = flat[..(Notification.MaxExcerptLength - 1)];
        var space = cut.LastIndexOf(' ');
        return (space > Notification.MaxExcerptLength / 2 ? cut[..space] : cut) + "…";
    }
}
