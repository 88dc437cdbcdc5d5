using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Switchboard.Data;
using Switchboard.Features.Projects;
using Switchboard.Realtime;

namespace Switchboard.Features.Tickets;

// Live tickets on the user socket: the topics project:<id> and ticket:<id>, who may subscribe to
// them, and the frames the ticket endpoints publish after they commit.

public sealed record TicketFrame(string Type, TicketDto Ticket)
{
    [JsonPropertyOrder(-1)]
    public string Type { get; } = Type;
}

public sealed record CommentFrame(string Type, int TicketId, CommentDto Comment)
{
    [JsonPropertyOrder(-1)]
    public string Type { get; } = Type;
}

/// <summary><c>project:&lt;id&gt;</c>: the project's members.</summary>
public sealed class ProjectTopicAccess(AppDbContext db) : ITopicAccess
{
    public string Prefix => "project";

    public async Task<int?> ProjectOfAsync(int userId, int id, CancellationToken ct) =>
        await db.RoleAsync(id, userId, ct) is null ? null : id;
}

/// <summary><c>ticket:&lt;id&gt;</c>: the members of the ticket's project.</summary>
public sealed class TicketTopicAccess(AppDbContext db) : ITopicAccess
{
    public string Prefix => "ticket";

    public async Task<int?> ProjectOfAsync(int userId, int id, CancellationToken ct) =>
        (await db.TicketAccessAsync(id, userId, ct))?.ProjectId;
}

/// <summary>Publishes ticket and comment changes to their topics; call after the change committed.</summary>
public sealed class TicketEvents(AppDbContext db, ITopicEvents topics)
{
    public const string Created = "ticket_created";
    public const string Updated = "ticket_updated";
    public const string Deleted = "ticket_deleted";
    public const string CommentAdded = "comment_added";
    public const string CommentEdited = "comment_edited";
    public const string CommentDeleted = "comment_deleted";

    public ValueTask TicketAsync(string type, TicketDto ticket, CancellationToken ct) =>
        topics.PublishAsync(new TopicEvent([$"project:{ticket.Project}", $"ticket:{ticket.Id}"], new TicketFrame(type, ticket)), ct);

    /// <summary>Reads the ticket as REST shows it and publishes it (nothing when it is gone meanwhile).</summary>
    public async Task TicketAsync(string type, int ticketId, CancellationToken ct)
    {
        var row = await TicketsApi.ToRows(db.Set<Ticket>().AsNoTracking().Where(t => t.Id == ticketId)).FirstOrDefaultAsync(ct);
        if (row is not null)
        {
            await TicketAsync(type, row.ToDto(), ct);
        }
    }

    /// <summary>A comment change goes to the ticket's topic; the ticket itself (its comment_count) to both.</summary>
    public async Task CommentAsync(string type, int ticketId, CommentDto comment, CancellationToken ct)
    {
        await topics.PublishAsync(new TopicEvent([$"ticket:{ticketId}"], new CommentFrame(type, ticketId, comment)), ct);
        await TicketAsync(Updated, ticketId, ct);
    }
}

/// <summary>Leaving a project ends its topic subscriptions (the project's and its tickets') on open sockets.</summary>
public sealed class TicketTopicsOnMemberRemoval(IUserEvents users) : IMemberRemovalStep
{
    public Task OnMemberRemovingAsync(AppDbContext db, int projectId, int userId, int actorId, CancellationToken ct) => Task.CompletedTask;

    public async Task OnMemberRemovedAsync(int projectId, int userId, CancellationToken ct) =>
        await users.PublishAsync(new UserEvent(userId, null, UserEventEffect.LeaveProject, projectId), ct);
}
