using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Switchboard.Data;
using Switchboard.Features.Chat.Rooms;
using Switchboard.Infrastructure;

namespace Switchboard.Features.Chat.Messages;

/// <summary>Edit history and pins: GET history of a message, pin/unpin it, and a room's pins.</summary>
public static class MessageExtrasApi
{
    public static IEndpointRouteBuilder MapChatMessageExtras(this IEndpointRouteBuilder routes)
    {
        var messages = routes.MapGroup("/api/chat/messages").WithTags("Chat messages").RequireAuthorization().ProducesProblem(401);
        messages.MapGet("/{id:int}/history", History).WithName("chat_messages_history")
            .WithSummary("Earlier versions of an edited message, oldest first (the current one left out)").ProducesProblem(404);
        messages.MapPost("/{id:int}/pin", Pin).WithName("chat_messages_pin")
            .WithSummary("Pin a message to its room (pinning twice is harmless)")
            .ProducesValidationProblem().ProducesProblem(403).ProducesProblem(404);
        messages.MapPost("/{id:int}/unpin", Unpin).WithName("chat_messages_unpin")
            .WithSummary("Take a message's pin down (harmless when it is not pinned)").ProducesProblem(403).ProducesProblem(404);

        var rooms = routes.MapGroup("/api/chat/rooms").WithTags("Chat rooms").RequireAuthorization().ProducesProblem(401);
        rooms.MapGet("/{id:int}/pins", Pins).WithName("chat_rooms_pins")
            .WithSummary("A room's pinned messages, newest pin first").ProducesProblem(404);
        return routes;
    }

    public static async Task<Results<Ok<Page<MessageVersionDto>>, ProblemHttpResult>> History([AsParameters] PageQuery paging, int id, HttpContext http, AppDbContext db,
        CancellationToken ct)
    {
        const string notFound = "Message not found.";
        if (!PageRequest.TryParse(paging, out var page, out var error))
        {
            return Problems.NotFound(error!);
        }
        var roomId = await db.Set<ChatMessage>().Where(m => m.Id == id).Select(m => (int?)m.RoomId).SingleOrDefaultAsync(ct);
        if (roomId is null || await db.RoomAccessAsync(roomId.Value, http.User.GetUserId(), ct) is null)
        {
            return Problems.NotFound(notFound);
        }
        var result = await db.Set<MessageVersion>().AsNoTracking().Where(v => v.MessageId == id).OrderBy(v => v.Id)
            .Select(v => new MessageVersionDto(v.Content, v.EditedAt))
            .ToPageAsync(http.Request, page, list => list, ct);
        return result is null ? Problems.NotFound("Invalid page.") : TypedResults.Ok(result);
    }

    public static async Task<Results<Ok<MessageDto>, ValidationProblem, ProblemHttpResult>> Pin(int id, HttpContext http, MessagePins pins,
        CancellationToken ct) =>
        Answer(await pins.PinAsync(http.User.GetUserId(), id, ct));

    public static async Task<Results<Ok<MessageDto>, ValidationProblem, ProblemHttpResult>> Unpin(int id, HttpContext http, MessagePins pins,
        CancellationToken ct) =>
        Answer(await pins.UnpinAsync(http.User.GetUserId(), id, ct));

    public static async Task<Results<Ok<Page<MessageDto>>, ProblemHttpResult>> Pins([AsParameters] PageQuery paging, int id, HttpContext http, AppDbContext db,
        MessageMapper mapper, CancellationToken ct)
    {
        if (!PageRequest.TryParse(paging, out var page, out var error))
        {
            return Problems.NotFound(error!);
        }
        var userId = http.User.GetUserId();
        if (await db.RoomAccessAsync(id, userId, ct) is null)
        {
            return Problems.NotFound("Room not found.");
        }
        var pinned = db.Set<ChatMessage>().Where(m => m.RoomId == id && m.PinnedAt != null)
            .OrderByDescending(m => m.PinnedAt).ThenByDescending(m => m.Id);
        // Read like any page of messages: thread summaries and ticket chips for the whole page at once.
        var count = await pinned.CountAsync(ct);
        var result = await Paging.PageAsync<MessageDto>(http.Request, page, count, async (skip, take) =>
            await mapper.ToDtosAsync(db, await MessageMapper.ToRows(pinned.Skip(skip).Take(take)).ToListAsync(ct), userId, ct));
        return result is null ? Problems.NotFound("Invalid page.") : TypedResults.Ok(result);
    }

    private static Results<Ok<MessageDto>, ValidationProblem, ProblemHttpResult> Answer(ChatResult<MessageDto> result) =>
        result.Error is { } error ? error.IsValidation() ? error.ToValidation() : error.ToProblem() : TypedResults.Ok(result.Value!);
}
