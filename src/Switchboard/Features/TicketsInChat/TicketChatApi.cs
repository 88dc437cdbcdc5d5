using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Switchboard.Data;
using Switchboard.Features.Chat;
using Switchboard.Features.Chat.Messages;
using Switchboard.Features.Chat.Rooms;
using Switchboard.Features.Notifications;
using Switchboard.Features.Projects;
using Switchboard.Features.Tickets;
using Switchboard.Features.Users;
using Switchboard.Infrastructure;
using Switchboard.Infrastructure.Storage;

namespace Switchboard.Features.TicketsInChat;

public sealed record TicketFeedDto(int Room, int? Project, IReadOnlyList<string> Events);

/// <summary>Tickets in chat: a ticket's mentions, tickets made from messages, a ticket's discussion, a room's ticket feed.</summary>
public static class TicketChatApi
{
    public static IServiceCollection AddTicketsInChat(this IServiceCollection services) =>
        services.AddScoped<ChatPosts>().AddScoped<DiscussionSync>().AddScoped<TicketFeeds>();

    public static IEndpointRouteBuilder MapTicketsInChat(this IEndpointRouteBuilder routes)
    {
        var tickets = routes.MapGroup("/api/tickets").WithTags("Tickets").RequireAuthorization().ProducesProblem(401);
        tickets.MapGet("/{id:int}/mentions", Mentions).WithName("tickets_mentions")
            .WithSummary("Chat messages the caller may read that refer to the ticket, newest first").ProducesProblem(404);
        tickets.MapPost("/{id:int}/discussion", StartDiscussion).WithName("tickets_discussion")
            .WithSummary("Link the ticket to a new thread in a room: its replies and the ticket's comments become one conversation")
            .ProducesValidationProblem().ProducesProblem(403).ProducesProblem(404).ProducesProblem(409);

        var messages = routes.MapGroup("/api/chat/messages").WithTags("Chat messages").RequireAuthorization().ProducesProblem(401);
        messages.MapPost("/{id:int}/create_ticket", CreateTicket).WithName("chat_messages_create_ticket")
            .WithSummary("Make a ticket from a message (and its thread), in the room's project")
            .ProducesValidationProblem().ProducesProblem(403).ProducesProblem(404);

        var rooms = routes.MapGroup("/api/chat/rooms").WithTags("Chat rooms").RequireAuthorization().ProducesProblem(401);
        rooms.MapGet("/{id:int}/ticket_feed", GetFeed).WithName("chat_rooms_ticket_feed_get")
            .WithSummary("The room's ticket feed (project null and no events when it follows none)").ProducesProblem(404);
        rooms.MapPut("/{id:int}/ticket_feed", PutFeed).WithName("chat_rooms_ticket_feed_put")
            .WithSummary("Follow the project's ticket events in the room as system messages")
            .ProducesValidationProblem().ProducesProblem(403).ProducesProblem(404);
        rooms.MapDelete("/{id:int}/ticket_feed", DeleteFeed).WithName("chat_rooms_ticket_feed_delete")
            .WithSummary("Stop the room's ticket feed (harmless when there is none)").ProducesProblem(403).ProducesProblem(404);
        return routes;
    }

    // ---- GET /api/tickets/{id}/mentions/ ----

    public static async Task<Results<Ok<Page<MessageDto>>, ProblemHttpResult>> Mentions([AsParameters] PageQuery paging, int id, HttpContext http, AppDbContext db,
        MessageMapper mapper, CancellationToken ct)
    {
        var userId = http.User.GetUserId();
        if (!PageRequest.TryParse(paging, out var page, out var error))
        {
            return Problems.NotFound(error!);
        }
        if (await db.TicketAccessAsync(id, userId, ct) is null)
        {
            return Problems.NotFound("Ticket not found.");
        }
        // Only messages of rooms the caller is in (and still a member of the room's project): the
        // count and the pages never include what the caller may not read.
        var visible = db.Set<TicketReference>().Where(r => r.TicketId == id
            && db.Set<ChatParticipant>().Any(p => p.RoomId == r.RoomId && p.UserId == userId
                && db.ProjectMembers.Any(m => m.ProjectId == p.Room.ProjectId && m.UserId == userId)))
            .Select(r => r.MessageId);
        var count = await visible.CountAsync(ct);
        var result = await Paging.PageAsync<MessageDto>(http.Request, page, count, async (skip, take) =>
        {
            var ids = await visible.OrderByDescending(m => m).Skip(skip).Take(take).ToListAsync(ct);
            var rows = await MessageMapper.ToRows(db.Set<ChatMessage>().Where(m => ids.Contains(m.Id))).ToListAsync(ct);
            return await mapper.ToDtosAsync(db, rows.OrderByDescending(r => r.Id).ToList(), userId, ct);
        });
        return result is null ? Problems.NotFound("Invalid page.") : TypedResults.Ok(result);
    }

    // ---- POST /api/chat/messages/{id}/create_ticket/ ----

    private const int MaxQuoted = 200;

    public static async Task<Results<Created<TicketDto>, ValidationProblem, ProblemHttpResult>> CreateTicket(
        int id, JsonElement body, HttpContext http, AppDbContext db, IFileStorage storage, ChatPosts posts, TicketFeeds feeds,
        TicketEvents events, Notifier notifier, TimeProvider clock, ILoggerFactory logs, CancellationToken ct)
    {
        var userId = http.User.GetUserId();
        var source = await db.Set<ChatMessage>().AsNoTracking().Where(m => m.Id == id && !m.IsDeleted)
            .Select(m => new { m.Id, m.RoomId, m.ThreadRootId }).SingleOrDefaultAsync(ct);
        var access = source is null ? null : await db.RoomAccessAsync(source.RoomId, userId, ct);
        if (source is null || access is null)
        {
            return Problems.NotFound("Message not found.");
        }
        if (!access.CanWrite)
        {
            return Problems.Forbidden("Viewers cannot create tickets.");
        }
        var errors = new FieldErrors();
        var input = TicketInput.Read(body, errors);
        var includeThread = false;
        if (body.ValueKind == JsonValueKind.Object && body.TryGetProperty("include_thread", out var flag))
        {
            if (flag.ValueKind is JsonValueKind.True or JsonValueKind.False)
            {
                includeThread = flag.GetBoolean();
            }
            else if (flag.ValueKind != JsonValueKind.Null)
            {
                errors.Add("include_thread", "Must be a valid boolean.");
            }
        }
        var assignee = await TicketsApi.CheckAssigneeAsync(db, input, access.ProjectId, errors, ct);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        // The quoted messages: the message alone, or its whole thread (root and replies) in order.
        var rootId = source.ThreadRootId ?? source.Id;
        var quotedQuery = includeThread
            ? db.Set<ChatMessage>().Where(m => (m.Id == rootId || m.ThreadRootId == rootId) && !m.IsDeleted)
            : db.Set<ChatMessage>().Where(m => m.Id == source.Id);
        var quoted = await quotedQuery.AsNoTracking().OrderBy(m => m.Id).Take(MaxQuoted)
            .Select(m => new Quoted(m.Id, m.Content, m.Type, m.CreatedAt, m.AttachmentKey, m.AttachmentName, m.AttachmentSize,
                m.AttachmentContentType, m.UserId,
                new UserRow(m.User.Id, m.User.Username, m.User.Email, m.User.FirstName, m.User.LastName, m.User.AvatarId)))
            .ToListAsync(ct);
        // A thread longer than the quote limit keeps its first messages; the title still comes from the message.
        var first = quoted.FirstOrDefault(q => q.Id == source.Id) ?? await db.Set<ChatMessage>().AsNoTracking().Where(m => m.Id == source.Id)
            .Select(m => new Quoted(m.Id, m.Content, m.Type, m.CreatedAt, m.AttachmentKey, m.AttachmentName, m.AttachmentSize,
                m.AttachmentContentType, m.UserId,
                new UserRow(m.User.Id, m.User.Username, m.User.Email, m.User.FirstName, m.User.LastName, m.User.AvatarId)))
            .SingleAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var title = input.Title.IsSet ? input.Title.Value : DefaultTitle(first);

        // Attachments are copied to new stored files before the transaction: the ticket owns its
        // copies, so deleting the message (and its file) leaves the ticket whole.
        var copies = new List<TicketAttachment>();
        try
        {
            foreach (var q in quoted.Where(q => q.AttachmentKey is not null))
            {
                await using var stream = await storage.OpenReadAsync(q.AttachmentKey!, ct);
                if (stream is null)
                {
                    continue;
                }
                var stored = await storage.SaveAsync(stream, long.MaxValue, ct);
                copies.Add(new TicketAttachment
                {
                    PublicId = Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant(),
                    StorageKey = stored.StorageKey,
                    FileName = q.AttachmentName ?? "attachment",
                    FileSize = stored.Length,
                    ContentType = q.AttachmentContentType ?? "application/octet-stream",
                    UploadedById = q.UserId,
                    CreatedAt = now,
                });
            }

            var ticket = new Ticket
            {
                ProjectId = access.ProjectId,
                Title = title,
                Description = Describe(quoted, includeThread),
                Priority = input.Priority.IsSet ? input.Priority.Value : TicketPriority.Medium,
                Type = input.Type.IsSet ? input.Type.Value : TicketType.Task,
                ReporterId = userId,
                AssigneeId = assignee?.Id,
                CreatedAt = now,
                UpdatedAt = now,
            };
            await using (var tx = await db.Database.BeginTransactionAsync(ct))
            {
                if (await TicketsApi.NextNumberAsync(db, access.ProjectId, ct) is not { } number)
                {
                    return Problems.NotFound("Message not found.");
                }
                ticket.Number = number;
                db.Add(ticket);
                await db.SaveChangesAsync(ct);
                var key = await db.Projects.Where(p => p.Id == access.ProjectId).Select(p => p.Key).SingleAsync(ct);
                db.Add(TicketHistory.Entry(ticket.Id, userId, now, TicketHistory.Created, null, $"{key}-{ticket.Number}"));
                db.Add(new TicketWatcher { TicketId = ticket.Id, UserId = userId, CreatedAt = now });
                if (assignee is not null && assignee.Id != userId)
                {
                    db.Add(new TicketWatcher { TicketId = ticket.Id, UserId = assignee.Id, CreatedAt = now });
                    notifier.AddAssigned(assignee.Id, ticket.Id, access.ProjectId, userId, $"{key}-{ticket.Number} {ticket.Title}", now);
                }
                db.Add(new TicketSource { TicketId = ticket.Id, MessageId = source.Id, RoomId = source.RoomId });
                foreach (var copy in copies)
                {
                    copy.TicketId = ticket.Id;
                    db.Add(copy);
                }
                await db.SaveChangesAsync(ct);
                // The link back into the conversation, in the message's thread, committed with the ticket.
                var actor = access.Caller.ToDto().DisplayName;
                await posts.AddAsync(source.RoomId, userId, $"{actor} created {key}-{ticket.Number} from this conversation: {ticket.Title}",
                    MessageType.System, SystemMessages.WriteEvent(TicketChatEvents.TicketCreated, new { TicketId = ticket.Id, MessageId = source.Id }),
                    rootId, now, ct);
                await feeds.OnTicketEventAsync(ticket.Id, TicketFeedEvents.Created, userId, ct);
                await tx.CommitAsync(ct);
            }
            copies.Clear();
            db.ChangeTracker.Clear();
            await notifier.PublishAsync(ct);
            await posts.PublishAsync(ct);
            var dto = (await TicketsApi.ToRows(db.Set<Ticket>().AsNoTracking().Where(t => t.Id == ticket.Id)).SingleAsync(ct)).ToDto();
            await events.TicketAsync(TicketEvents.Created, dto, ct);
            return TypedResults.Created($"/api/tickets/{ticket.Id}/", dto);
        }
        finally
        {
            // Copies that no committed ticket owns.
            foreach (var copy in copies)
            {
                try
                {
                    await storage.DeleteAsync(copy.StorageKey, CancellationToken.None);
                }
                catch (IOException e)
                {
                    logs.CreateLogger(typeof(TicketChatApi)).LogWarning(e, "Could not delete a copied attachment");
                }
            }
        }
    }

    private sealed record Quoted(int Id, string Content, MessageType Type, DateTime CreatedAt, string? AttachmentKey, string? AttachmentName,
        long? AttachmentSize, string? AttachmentContentType, int UserId, UserRow Author);

    private static string DefaultTitle(Quoted message)
    {
        var line = message.Content.Split('\n').Select(l => l.Trim().TrimStart('#', '>', ' ', '-', '*').Trim())
            .FirstOrDefault(l => l.Length > 0);
        line ??= message.AttachmentName is { } name ? name : $"From a chat message by {message.Author.ToDto().DisplayName}";
        return line.Length <= TicketInput.TitleMax ? line : line[..(TicketInput.TitleMax - 1)] + "…";
    }

    /// <summary>Each message as a Markdown quote under its author and time (UTC), oldest first.</summary>
    private static string Describe(List<Quoted> quoted, bool thread)
    {
        var text = new StringBuilder(thread ? "From a chat thread:\n\n" : "From a chat message:\n\n");
        foreach (var q in quoted)
        {
            text.Append("> **").Append(q.Author.ToDto().DisplayName).Append("** (@").Append(q.Author.Username).Append(") · ")
                .Append(q.CreatedAt.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture)).Append('\n');
            foreach (var line in q.Content.Split('\n'))
            {
                text.Append("> ").Append(line.TrimEnd('\r')).Append('\n');
            }
            if (q.AttachmentName is not null)
            {
                text.Append("> (attachment: ").Append(q.AttachmentName).Append(")\n");
            }
            text.Append('\n');
        }
        var result = text.ToString().TrimEnd();
        return result.Length <= TicketInput.DescriptionMax ? result : result[..(TicketInput.DescriptionMax - 20)] + "\n\n…(shortened)";
    }

    // ---- POST /api/tickets/{id}/discussion/ ----

    public static async Task<Results<Created<TicketDto>, ValidationProblem, ProblemHttpResult>> StartDiscussion(
        int id, JsonElement body, HttpContext http, AppDbContext db, ChatPosts posts, TicketEvents events, TimeProvider clock, CancellationToken ct)
    {
        var userId = http.User.GetUserId();
        var ticketAccess = await db.TicketAccessAsync(id, userId, ct);
        if (ticketAccess is null)
        {
            return Problems.NotFound("Ticket not found.");
        }
        if (ReadId(body, "room", out var roomId) is { } problem)
        {
            return problem;
        }
        var room = await db.RoomAccessAsync(roomId, userId, ct);
        if (room is null)
        {
            return Problems.Validation("room", "Room not found.");
        }
        if (!room.CanWrite || ticketAccess.Role < ProjectRole.Member)
        {
            return Problems.Forbidden("Viewers cannot start a discussion.");
        }
        if (room.ProjectId != ticketAccess.ProjectId)
        {
            // Everyone in a room of the ticket's project may read the ticket: the thread reveals nothing.
            return Problems.Validation("room", "Pick a room of the ticket's project.");
        }
        if (await db.Set<TicketDiscussion>().AnyAsync(d => d.TicketId == id, ct))
        {
            return Problems.Conflict("This ticket already has a discussion.");
        }
        var ticket = await db.Set<Ticket>().AsNoTracking().Where(t => t.Id == id)
            .Select(t => new { t.Project.Key, t.Number, t.Title }).SingleAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        try
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var root = await posts.AddAsync(room.RoomId, userId, $"Discussion of {ticket.Key}-{ticket.Number}: {ticket.Title}", MessageType.System,
                SystemMessages.WriteEvent(TicketChatEvents.TicketDiscussion, new { TicketId = id }), null, now, ct);
            db.Add(new TicketDiscussion { TicketId = id, RoomId = room.RoomId, RootId = root.Id, CreatedById = userId, CreatedAt = now });
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        catch (DbUpdateException e) when (ProblemDetailsExceptionHandler.IsUniqueViolation(e))
        {
            posts.Discard();
            return Problems.Conflict("This ticket already has a discussion.");
        }
        await posts.PublishAsync(ct);
        var dto = (await TicketsApi.ToRows(db.Set<Ticket>().AsNoTracking().Where(t => t.Id == id)).SingleAsync(ct)).ToDto();
        await events.TicketAsync(TicketEvents.Updated, dto, ct);
        return TypedResults.Created($"/api/tickets/{id}/", dto);
    }

    // ---- /api/chat/rooms/{id}/ticket_feed/ ----

    public static async Task<Results<Ok<TicketFeedDto>, ProblemHttpResult>> GetFeed(int id, HttpContext http, AppDbContext db, CancellationToken ct)
    {
        if (await db.RoomAccessAsync(id, http.User.GetUserId(), ct) is null)
        {
            return Problems.NotFound("Room not found.");
        }
        var feed = await db.Set<TicketFeed>().AsNoTracking().SingleOrDefaultAsync(f => f.RoomId == id, ct);
        return TypedResults.Ok(ToDto(id, feed));
    }

    public static async Task<Results<Ok<TicketFeedDto>, ValidationProblem, ProblemHttpResult>> PutFeed(int id, JsonElement body, HttpContext http,
        AppDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var userId = http.User.GetUserId();
        var room = await db.RoomAccessAsync(id, userId, ct);
        if (room is null)
        {
            return Problems.NotFound("Room not found.");
        }
        if (!room.CanWrite)
        {
            return Problems.Forbidden("Viewers cannot change a room's ticket feed.");
        }
        if (ReadId(body, "project", out var projectId) is { } problem)
        {
            return problem;
        }
        if (projectId != room.ProjectId)
        {
            // A room's participants are all members of its project, and only of that one for sure.
            return Problems.Validation("project", "A room can follow the tickets of its own project only.");
        }
        var wanted = new List<string>();
        if (!body.TryGetProperty("events", out var list) || list.ValueKind != JsonValueKind.Array)
        {
            return Problems.Validation("events", "Send a list of events: " + TicketEnums.Choices(TicketFeedEvents.All) + ".");
        }
        foreach (var item in list.EnumerateArray())
        {
            var name = item.ValueKind == JsonValueKind.String ? item.GetString() : null;
            if (name is null || !TicketFeedEvents.All.Contains(name))
            {
                return Problems.Validation("events", "Each event must be one of " + TicketEnums.Choices(TicketFeedEvents.All) + ".");
            }
            if (!wanted.Contains(name))
            {
                wanted.Add(name);
            }
        }
        if (wanted.Count == 0)
        {
            return Problems.Validation("events", "Choose at least one event (DELETE stops the feed).");
        }
        var events = string.Join(',', TicketFeedEvents.All.Where(wanted.Contains));
        var now = clock.GetUtcNow().UtcDateTime;
        // One statement, so two concurrent PUTs cannot both insert.
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO chat_ticket_feeds ("RoomId", "ProjectId", "Events", "CreatedById", "UpdatedAt")
            VALUES ({id}, {projectId}, {events}, {userId}, {now})
            ON CONFLICT ("RoomId") DO UPDATE SET "ProjectId" = {projectId}, "Events" = {events}, "CreatedById" = {userId}, "UpdatedAt" = {now}
            """, ct);
        var feed = await db.Set<TicketFeed>().AsNoTracking().SingleOrDefaultAsync(f => f.RoomId == id, ct);
        return TypedResults.Ok(ToDto(id, feed));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteFeed(int id, HttpContext http, AppDbContext db, CancellationToken ct)
    {
        var room = await db.RoomAccessAsync(id, http.User.GetUserId(), ct);
        if (room is null)
        {
            return Problems.NotFound("Room not found.");
        }
        if (!room.CanWrite)
        {
            return Problems.Forbidden("Viewers cannot change a room's ticket feed.");
        }
        await db.Set<TicketFeed>().Where(f => f.RoomId == id).ExecuteDeleteAsync(ct);
        return TypedResults.NoContent();
    }

    private static TicketFeedDto ToDto(int roomId, TicketFeed? feed) =>
        new(roomId, feed?.ProjectId, feed is null ? [] : feed.Events.Split(',', StringSplitOptions.RemoveEmptyEntries));

    private static ValidationProblem? ReadId(JsonElement body, string field, out int value)
    {
        value = 0;
        if (body.ValueKind != JsonValueKind.Object)
        {
            return Problems.Validation("non_field_errors", "Send a JSON object.");
        }
        if (!body.TryGetProperty(field, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return Problems.Validation(field, "This field is required.");
        }
        if (element.ValueKind != JsonValueKind.Number || !element.TryGetInt32(out value) || value < 1)
        {
            return Problems.Validation(field, "A valid integer is required.");
        }
        return null;
    }
}
