using Microsoft.EntityFrameworkCore;
using Switchboard.Data;
using Switchboard.Features.Chat.Attachments;
using Switchboard.Features.Chat.Threads;
using Switchboard.Features.TicketsInChat;
using Switchboard.Features.Users;

namespace Switchboard.Features.Chat.Messages;

/// <summary>A message as read for a response: only the columns its JSON shows.</summary>
public sealed record MessageRow(int Id, int RoomId, UserRow User, string Content, MessageType Type, string? AttachmentPublicId,
    string? AttachmentName, long? AttachmentSize, bool HasThumbnail, string? ClientId, DateTime CreatedAt, DateTime UpdatedAt,
    bool IsEdited, DateTime? EditedAt, List<ReactionRow> Reactions, ThreadRow Thread, UserRow? PinnedBy = null, DateTime? PinnedAt = null,
    string? EventJson = null);

/// <summary>The thread and mention columns of a message.</summary>
public sealed record ThreadRow(int? RootId, bool AlsoSendToRoom, int ReplyCount, DateTime? LastReplyAt, string? ParticipantIds,
    string? MentionUserIds, bool MentionsRoom, bool MentionsHere, bool IsDeleted)
{
    public static IReadOnlyList<int> Ids(string? csv) =>
        string.IsNullOrEmpty(csv) ? [] : csv.Split(',').Select(int.Parse).ToList();
}

public sealed record ReactionRow(int Id, UserRow User, string Emoji, DateTime CreatedAt)
{
    public ReactionDto ToDto() => new(Id, User.ToDto(), Emoji, CreatedAt);
}

/// <summary>
/// What a page of messages needs besides its rows, read in two queries for the whole page: the
/// users named in thread summaries and which of the page's roots the viewer follows.
/// </summary>
public sealed record ThreadContext(IReadOnlyDictionary<int, UserDto> Users, IReadOnlySet<int> Following)
{
    public static readonly ThreadContext Empty = new(new Dictionary<int, UserDto>(), new HashSet<int>());

    public static async Task<ThreadContext> LoadAsync(AppDbContext db, IReadOnlyCollection<MessageRow> rows, int viewerId, CancellationToken ct)
    {
        var roots = rows.Where(r => r.Thread.RootId is null).ToList();
        if (roots.Count == 0)
        {
            return Empty;
        }
        var userIds = roots.SelectMany(r => ThreadRow.Ids(r.Thread.ParticipantIds)).Distinct().ToList();
        var users = userIds.Count == 0
            ? new Dictionary<int, UserDto>()
            : (await db.Users.Where(u => userIds.Contains(u.Id))
                .Select(u => new UserRow(u.Id, u.Username, u.Email, u.FirstName, u.LastName, u.AvatarId)).ToListAsync(ct))
                .ToDictionary(u => u.Id, u => u.ToDto());
        var rootIds = roots.Select(r => r.Id).ToList();
        var following = (await db.Set<ThreadFollow>()
                .Where(f => f.UserId == viewerId && f.IsFollowing && rootIds.Contains(f.RootId))
                .Select(f => f.RootId).ToListAsync(ct))
            .ToHashSet();
        return new ThreadContext(users, following);
    }
}

/// <summary>Turns stored messages into the wire shape; attachment links are signed for the viewer.</summary>
public sealed class MessageMapper(AttachmentLinks links)
{
    /// <summary>
    /// Messages with everything their DTO needs, in one query. A projection rather than entities with
    /// includes: it reads neither the search vector nor the users' password hashes.
    /// </summary>
    public static IQueryable<MessageRow> ToRows(IQueryable<ChatMessage> messages) =>
        messages.Select(m => new MessageRow(
            m.Id,
            m.RoomId,
            new UserRow(m.User.Id, m.User.Username, m.User.Email, m.User.FirstName, m.User.LastName, m.User.AvatarId),
            m.Content,
            m.Type,
            m.AttachmentPublicId,
            m.AttachmentName,
            m.AttachmentSize,
            m.ThumbnailKey != null,
            m.ClientId,
            m.CreatedAt,
            m.UpdatedAt,
            m.IsEdited,
            m.EditedAt,
            m.Reactions.OrderBy(r => r.Id)
                .Select(r => new ReactionRow(r.Id, new UserRow(r.User.Id, r.User.Username, r.User.Email, r.User.FirstName, r.User.LastName, r.User.AvatarId),
                    r.Emoji, r.CreatedAt))
                .ToList(),
            new ThreadRow(m.ThreadRootId, m.AlsoSendToRoom, m.ReplyCount, m.LastReplyAt, m.ThreadParticipantIds,
                m.MentionUserIds, m.MentionsRoom, m.MentionsHere, m.IsDeleted),
            m.PinnedBy == null ? null
                : new UserRow(m.PinnedBy.Id, m.PinnedBy.Username, m.PinnedBy.Email, m.PinnedBy.FirstName, m.PinnedBy.LastName, m.PinnedBy.AvatarId),
            m.PinnedAt,
            m.EventJson));

    public MessageDto ToDto(MessageRow m, int viewerId, ThreadContext? context = null, IReadOnlyList<TicketChipDto>? tickets = null)
    {
        context ??= ThreadContext.Empty;
        var t = m.Thread;
        return new MessageDto(
            m.Id,
            m.RoomId,
            m.User.ToDto(),
            m.Content,
            m.Type.ToWire(),
            m.AttachmentPublicId is null ? null : links.Link(m.AttachmentPublicId, thumbnail: false, viewerId),
            m.AttachmentName,
            m.AttachmentSize,
            m.AttachmentPublicId is null || !m.HasThumbnail ? null : links.Link(m.AttachmentPublicId, thumbnail: true, viewerId),
            m.ClientId,
            m.Reactions.Select(r => r.ToDto()).ToList(),
            m.CreatedAt,
            m.UpdatedAt,
            m.IsEdited,
            m.EditedAt,
            m.PinnedAt is not null,
            m.PinnedAt is null ? null : m.PinnedBy?.ToDto(),
            m.PinnedAt,
            t.RootId,
            t.AlsoSendToRoom,
            t.ReplyCount,
            t.LastReplyAt,
            ThreadRow.Ids(t.ParticipantIds).Select(id => context.Users.GetValueOrDefault(id)).OfType<UserDto>().ToList(),
            context.Following.Contains(m.Id),
            new MentionsDto(ThreadRow.Ids(t.MentionUserIds), t.MentionsRoom, t.MentionsHere),
            t.IsDeleted,
            SystemMessages.ReadEvent(m.EventJson),
            tickets ?? []);
    }

    /// <summary>
    /// A page of rows as <paramref name="viewerId"/> sees them, thread summaries and ticket chips
    /// included. <paramref name="forRoom"/>: the result goes to every participant of the room (a
    /// frame), so it shows only the tickets every one of them may see.
    /// </summary>
    public Task<List<MessageDto>> ToDtosAsync(AppDbContext db, IReadOnlyCollection<MessageRow> rows, int viewerId, CancellationToken ct) =>
        ToDtosAsync(db, rows, viewerId, false, ct);

    public async Task<List<MessageDto>> ToDtosAsync(AppDbContext db, IReadOnlyCollection<MessageRow> rows, int viewerId, bool forRoom,
        CancellationToken ct)
    {
        var context = await ThreadContext.LoadAsync(db, rows, viewerId, ct);
        var tickets = await TicketChipsAsync(db, rows, forRoom ? null : viewerId, ct);
        return rows.Select(r => ToDto(r, viewerId, context, tickets.GetValueOrDefault(r.Id))).ToList();
    }

    /// <summary>A message written a moment ago, for its frame to the room: with the chips every participant may see.</summary>
    public async Task<MessageDto> ToRoomDtoAsync(AppDbContext db, MessageRow row, int viewerId, CancellationToken ct)
    {
        var tickets = await TicketChipsAsync(db, [row], null, ct);
        return ToDto(row, viewerId, null, tickets.GetValueOrDefault(row.Id));
    }

    // A key always has a hyphen: a page with none costs no query for chips.
    private static Task<IReadOnlyDictionary<int, List<TicketChipDto>>> TicketChipsAsync(
        AppDbContext db, IReadOnlyCollection<MessageRow> rows, int? viewerId, CancellationToken ct)
    {
        var ids = rows.Where(r => r.Content.Contains('-', StringComparison.Ordinal)).Select(r => r.Id).ToList();
        return ids.Count == 0 ? Task.FromResult(TicketReferences.Empty) : TicketReferences.LoadAsync(db, ids, viewerId, ct);
    }

    /// <summary>A message just written (with its author loaded), as the same row a read would give.</summary>
    public static MessageRow ToRow(ChatMessage m, UserRow author) => new(
        m.Id, m.RoomId, author, m.Content, m.Type,
        m.AttachmentPublicId, m.AttachmentName, m.AttachmentSize, m.ThumbnailKey != null, m.ClientId, m.CreatedAt, m.UpdatedAt,
        m.IsEdited, m.EditedAt, [],
        new ThreadRow(m.ThreadRootId, m.AlsoSendToRoom, m.ReplyCount, m.LastReplyAt, m.ThreadParticipantIds,
            m.MentionUserIds, m.MentionsRoom, m.MentionsHere, m.IsDeleted),
        EventJson: m.EventJson);
}
