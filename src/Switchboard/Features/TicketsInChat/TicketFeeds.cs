using Microsoft.EntityFrameworkCore;
using Switchboard.Data;
using Switchboard.Features.Chat.Messages;
using Switchboard.Features.Tickets;
using Switchboard.Features.Users;

namespace Switchboard.Features.TicketsInChat;

/// <summary>What a feed message says besides the ticket: the status move, the new assignee, the comment.</summary>
public sealed record FeedDetails(string? OldStatus = null, string? NewStatus = null, int? AssigneeId = null, int? CommentId = null);

public static class TicketFeedEvents
{
    public const string Created = "created";
    public const string StatusChanged = "status_changed";
    public const string Assigned = "assigned";
    public const string Commented = "commented";

    public static readonly string[] All = [Created, StatusChanged, Assigned, Commented];
}

/// <summary>
/// Posts a room's ticket feed as <c>system</c> messages. The messages are written inside the
/// transaction of the ticket change that causes them, so an event is stored exactly once however
/// many instances run, and never for a change that rolled back; their frames go out after commit
/// (docs/decisions/1204-ticket-feed-in-the-change-transaction.md).
/// </summary>
public sealed class TicketFeeds(AppDbContext db, ChatPosts posts, TimeProvider clock)
{
    /// <summary>Call inside the change's transaction, after the change is saved.</summary>
    public Task OnTicketEventAsync(int ticketId, string feedEvent, int actorId, CancellationToken ct) =>
        OnTicketEventAsync(ticketId, feedEvent, actorId, new FeedDetails(), ct);

    public Task OnTicketEventAsync(int ticketId, string feedEvent, int actorId, FeedDetails details, CancellationToken ct) =>
        OnTicketEventAsync(db, ticketId, feedEvent, actorId, details, ct);

    /// <summary>The same through <paramref name="tx"/>, the context whose transaction the change is in.</summary>
    public async Task OnTicketEventAsync(AppDbContext tx, int ticketId, string feedEvent, int actorId, FeedDetails details, CancellationToken ct)
    {
        var (oldStatus, newStatus, assigneeId, commentId) = details;
        var ticket = await tx.Set<Ticket>().AsNoTracking().Where(t => t.Id == ticketId)
            .Select(t => new { t.ProjectId, t.Project.Key, t.Number, t.Title }).SingleOrDefaultAsync(ct);
        if (ticket is null)
        {
            return;
        }
        var rooms = (await tx.Set<TicketFeed>().AsNoTracking().Where(f => f.ProjectId == ticket.ProjectId)
                .Select(f => new { f.RoomId, f.Events }).ToListAsync(ct))
            .Where(f => f.Events.Split(',').Contains(feedEvent)).Select(f => f.RoomId).ToList();
        if (rooms.Count == 0)
        {
            return;
        }
        var actor = await tx.Users.AsNoTracking().Where(u => u.Id == actorId)
            .Select(u => new UserRow(u.Id, u.Username, u.Email, u.FirstName, u.LastName, u.AvatarId)).SingleAsync(ct);
        var who = actor.ToDto().DisplayName;
        var key = $"{ticket.Key}-{ticket.Number}";
        string content, eventJson;
        switch (feedEvent)
        {
            case TicketFeedEvents.Created:
                content = $"{who} created {key}: {ticket.Title}";
                eventJson = SystemMessages.WriteEvent(TicketChatEvents.FeedCreated, new { TicketId = ticketId });
                break;
            case TicketFeedEvents.StatusChanged:
                content = $"{who} moved {key} from {oldStatus} to {newStatus}: {ticket.Title}";
                eventJson = SystemMessages.WriteEvent(TicketChatEvents.FeedStatusChanged, new { TicketId = ticketId, OldStatus = oldStatus, NewStatus = newStatus });
                break;
            case TicketFeedEvents.Assigned:
                var assignee = assigneeId is null ? null
                    : await tx.Users.AsNoTracking().Where(u => u.Id == assigneeId)
                        .Select(u => new UserRow(u.Id, u.Username, u.Email, u.FirstName, u.LastName, u.AvatarId)).SingleOrDefaultAsync(ct);
                content = assignee is null ? $"{who} unassigned {key}: {ticket.Title}" : $"{who} assigned {key} to {assignee.ToDto().DisplayName}: {ticket.Title}";
                eventJson = SystemMessages.WriteEvent(TicketChatEvents.FeedAssigned, new { TicketId = ticketId, AssigneeId = assigneeId });
                break;
            default:
                content = $"{who} commented on {key}: {ticket.Title}";
                eventJson = SystemMessages.WriteEvent(TicketChatEvents.FeedCommented, new { TicketId = ticketId, CommentId = commentId });
                break;
        }
        var now = clock.GetUtcNow().UtcDateTime;
        foreach (var roomId in rooms)
        {
            await posts.AddAsync(tx, roomId, actorId, content, MessageType.System, eventJson, null, now, ct);
        }
    }

    /// <summary>After commit.</summary>
    public Task PublishAsync(CancellationToken ct) => posts.PublishAsync(ct);
}

/// <summary>The <c>event.kind</c> values of the system messages tickets write in chat (docs/api/tickets-in-chat.md).</summary>
public static class TicketChatEvents
{
    /// <summary>A ticket was made from a message: <c>{ticket_id, message_id}</c>, in the message's thread.</summary>
    public const string TicketCreated = "ticket_created";
    /// <summary>The root of a ticket's discussion: <c>{ticket_id}</c>.</summary>
    public const string TicketDiscussion = "ticket_discussion";
    public const string FeedCreated = "ticket_feed_created";
    public const string FeedStatusChanged = "ticket_status_changed";
    public const string FeedAssigned = "ticket_assigned";
    public const string FeedCommented = "ticket_commented";
}
