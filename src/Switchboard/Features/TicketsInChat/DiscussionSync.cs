using Microsoft.EntityFrameworkCore;
using Switchboard.Data;
using Switchboard.Features.Chat.Messages;
using Switchboard.Features.Notifications;
using Switchboard.Features.Tickets;

namespace Switchboard.Features.TicketsInChat;

/// <summary>
/// Keeps a ticket's discussion thread and its comments the same conversation. Every change writes
/// its mirror in the same transaction, through <see cref="DiscussionPost"/> (comment id, message id),
/// and writes the mirror row directly rather than through the other side's endpoint, so nothing
/// loops and a crash leaves either both rows or neither (docs/decisions/1203-discussion-mirror.md).
/// Rows are always locked message first, then comment, on both sides, so concurrent edits from
/// both sides queue instead of deadlocking, and the last one wins on both sides.
/// </summary>
public sealed class DiscussionSync(AppDbContext db, ChatPosts posts, TicketEvents ticketEvents, TicketFeeds feeds, Notifier notifier,
    TimeProvider clock)
{
    private readonly List<(string Type, int TicketId, int CommentId, CommentDto? Gone)> _comments = [];

    // ---- chat → ticket (called by ChatService inside the message's transaction) ----

    /// <summary>
    /// A reply in a discussion thread becomes a comment by the same author. Everything goes through
    /// <paramref name="tx"/>, the context whose transaction the send is in (on SQLite the
    /// group-commit writer's, not this scope's).
    /// </summary>
    public async Task OnReplySentAsync(AppDbContext tx, ChatMessage message, CancellationToken ct)
    {
        if (message.ThreadRootId is not { } rootId)
        {
            return;
        }
        var discussion = await tx.Set<TicketDiscussion>().AsNoTracking().Where(d => d.RootId == rootId)
            .Select(d => new { d.TicketId, d.Ticket.ProjectId }).SingleOrDefaultAsync(ct);
        if (discussion is null)
        {
            return;
        }
        var body = CommentBody(message);
        var comment = new TicketComment { TicketId = discussion.TicketId, AuthorId = message.UserId, Body = body, CreatedAt = message.CreatedAt, UpdatedAt = message.CreatedAt };
        tx.Add(comment);
        tx.Add(TicketHistory.Entry(discussion.TicketId, message.UserId, message.CreatedAt, TicketHistory.Comment, null, body));
        await tx.SaveChangesAsync(ct);
        tx.Add(new DiscussionPost { CommentId = comment.Id, MessageId = message.Id, TicketId = discussion.TicketId });
        await tx.Set<Ticket>().Where(t => t.Id == discussion.TicketId).ExecuteUpdateAsync(s => s
            .SetProperty(t => t.CommentCount, t => t.CommentCount + 1).SetProperty(t => t.UpdatedAt, message.CreatedAt), ct);
        await notifier.AddAsync(tx, discussion.TicketId, discussion.ProjectId, message.UserId, NotificationTypes.TicketCommented, body, message.CreatedAt, ct);
        await tx.SaveChangesAsync(ct);
        await feeds.OnTicketEventAsync(tx, discussion.TicketId, TicketFeedEvents.Commented, message.UserId, new FeedDetails(CommentId: comment.Id), ct);
        _comments.Add((TicketEvents.CommentAdded, discussion.TicketId, comment.Id, null));
    }

    /// <summary>An edit of a mirrored reply edits its comment (after the message row, which the caller has just written).</summary>
    public async Task OnReplyEditedAsync(ChatMessage message, CancellationToken ct)
    {
        var post = await db.Set<DiscussionPost>().AsNoTracking().SingleOrDefaultAsync(p => p.MessageId == message.Id, ct);
        if (post is null)
        {
            return;
        }
        var body = CommentBody(message);
        var old = await db.Set<TicketComment>().Where(c => c.Id == post.CommentId).Select(c => c.Body).SingleOrDefaultAsync(ct);
        if (old is null || old == body)
        {
            return;
        }
        var now = message.UpdatedAt;
        await db.Set<TicketComment>().Where(c => c.Id == post.CommentId).ExecuteUpdateAsync(s => s
            .SetProperty(c => c.Body, body).SetProperty(c => c.IsEdited, true).SetProperty(c => c.UpdatedAt, now), ct);
        db.Add(TicketHistory.Entry(post.TicketId, message.UserId, now, TicketHistory.Comment, old, body));
        await db.SaveChangesAsync(ct);
        await db.Set<Ticket>().Where(t => t.Id == post.TicketId).ExecuteUpdateAsync(s => s.SetProperty(t => t.UpdatedAt, now), ct);
        _comments.Add((TicketEvents.CommentEdited, post.TicketId, post.CommentId, null));
    }

    /// <summary>Deletes the message (first) and then the comment it mirrors; the caller's transaction.</summary>
    public async Task<int> DeleteReplyAsync(int messageId, int actorId, CancellationToken ct)
    {
        var post = await db.Set<DiscussionPost>().AsNoTracking().SingleOrDefaultAsync(p => p.MessageId == messageId, ct);
        var deleted = await db.Set<ChatMessage>().Where(m => m.Id == messageId).ExecuteDeleteAsync(ct);
        if (post is not null && deleted > 0)
        {
            await DeleteCommentRowAsync(post.TicketId, post.CommentId, actorId, ct);
        }
        return deleted;
    }

    // ---- ticket → chat (called by the comment endpoints inside the comment's transaction) ----

    /// <summary>A comment on a ticket with a discussion becomes a reply in its thread, by the same author.</summary>
    public async Task OnCommentAddedAsync(TicketComment comment, CancellationToken ct)
    {
        var discussion = await db.Set<TicketDiscussion>().AsNoTracking().Where(d => d.TicketId == comment.TicketId)
            .Select(d => new { d.RoomId, d.RootId, RootGone = db.Set<ChatMessage>().Where(m => m.Id == d.RootId).Select(m => m.IsDeleted).FirstOrDefault() })
            .SingleOrDefaultAsync(ct);
        if (discussion is null || discussion.RootGone)
        {
            return;
        }
        var message = await posts.AddAsync(discussion.RoomId, comment.AuthorId, comment.Body, MessageType.Text, null, discussion.RootId, comment.CreatedAt, ct);
        db.Add(new DiscussionPost { CommentId = comment.Id, MessageId = message.Id, TicketId = comment.TicketId });
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Call before the comment row is written: the message row goes first (the lock order).</summary>
    public async Task OnCommentEditingAsync(int commentId, string body, CancellationToken ct)
    {
        var post = await db.Set<DiscussionPost>().AsNoTracking().SingleOrDefaultAsync(p => p.CommentId == commentId, ct);
        if (post is not null)
        {
            await posts.EditAsync(post.MessageId, body, clock.GetUtcNow().UtcDateTime, ct);
        }
    }

    /// <summary>Call before the comment row is deleted: the message row goes first (the lock order).</summary>
    public async Task OnCommentDeletingAsync(int commentId, CancellationToken ct)
    {
        var post = await db.Set<DiscussionPost>().AsNoTracking().SingleOrDefaultAsync(p => p.CommentId == commentId, ct);
        if (post is not null)
        {
            await posts.DeleteAsync(post.MessageId, ct);
        }
    }

    public void Discard()
    {
        _comments.Clear();
        posts.Discard();
    }

    /// <summary>After commit: comment frames on the ticket's topic, message frames in the room.</summary>
    public async Task PublishAsync(CancellationToken ct)
    {
        await posts.PublishAsync(ct);
        foreach (var (type, ticketId, commentId, gone) in _comments)
        {
            var dto = gone ?? await db.Set<TicketComment>().AsNoTracking().Include(c => c.Author).Where(c => c.Id == commentId)
                .Select(c => CommentDto.From(c)).SingleOrDefaultAsync(ct);
            if (dto is not null)
            {
                await ticketEvents.CommentAsync(type, ticketId, dto, ct);
            }
        }
        _comments.Clear();
        await feeds.PublishAsync(ct);
    }

    private async Task DeleteCommentRowAsync(int ticketId, int commentId, int actorId, CancellationToken ct)
    {
        var comment = await db.Set<TicketComment>().AsNoTracking().Include(c => c.Author).SingleOrDefaultAsync(c => c.Id == commentId, ct);
        if (comment is null || await db.Set<TicketComment>().Where(c => c.Id == commentId).ExecuteDeleteAsync(ct) == 0)
        {
            return;
        }
        var now = clock.GetUtcNow().UtcDateTime;
        db.Add(TicketHistory.Entry(ticketId, actorId, now, TicketHistory.Comment, comment.Body, null));
        await db.SaveChangesAsync(ct);
        await db.Set<Ticket>().Where(t => t.Id == ticketId).ExecuteUpdateAsync(s => s
            .SetProperty(t => t.CommentCount, t => t.CommentCount - 1).SetProperty(t => t.UpdatedAt, now), ct);
        _comments.Add((TicketEvents.CommentDeleted, ticketId, commentId, CommentDto.From(comment)));
    }

    // A file or image reply with no text still shows on the ticket, as its file's name.
    private static string CommentBody(ChatMessage message) =>
        string.IsNullOrWhiteSpace(message.Content) ? $"(attachment: {message.AttachmentName ?? "file"})" : message.Content;
}
