using Microsoft.AspNetCore.Http.HttpResults;
using Switchboard.Features.Chat.Messages;
using Switchboard.Infrastructure;

namespace Switchboard.Features.Chat.Receipts;

public sealed record MarkReadRequest(int? MessageId);

public static class ReceiptsApi
{
    public static void MapChatReceipts(this IEndpointRouteBuilder routes)
    {
        var rooms = routes.MapGroup("/api/chat/rooms").WithTags("Chat rooms").RequireAuthorization().ProducesProblem(401);
        rooms.MapPost("/{id:int}/mark_read", MarkRead).WithName("chat_rooms_mark_read")
            .WithSummary("Move the caller's read mark forward to message_id (default: the newest message)")
            .ProducesValidationProblem().ProducesProblem(404);
        rooms.MapPost("/{id:int}/mark_unread", MarkUnread).WithName("chat_rooms_mark_unread")
            .WithSummary("Move the caller's read mark back to just before message_id").ProducesValidationProblem().ProducesProblem(404);
        routes.MapGet("/api/chat/messages/{id:int}/receipts", Receipts).WithName("chat_messages_receipts").WithTags("Chat messages")
            .RequireAuthorization().WithSummary("Who has read a message (only people who share read receipts)").ProducesProblem(404);
    }

    public static async Task<Results<Ok<MarkReadDto>, ValidationProblem, ProblemHttpResult>> MarkRead(int id, HttpContext http, ReadMarks marks,
        CancellationToken ct)
    {
        // The body is optional: Part 1 clients post nothing.
        var (body, error) = await OptionalBody.ReadAsync<MarkReadRequest>(http, ct);
        if (error is not null)
        {
            return error;
        }
        var result = await marks.MarkReadAsync(http.User.GetUserId(), id, body?.MessageId, ct);
        return Answer(result);
    }

    public static async Task<Results<Ok<MarkReadDto>, ValidationProblem, ProblemHttpResult>> MarkUnread(int id, HttpContext http, ReadMarks marks,
        CancellationToken ct)
    {
        var (body, error) = await OptionalBody.ReadAsync<MarkReadRequest>(http, ct);
        if (error is not null)
        {
            return error;
        }
        return Answer(await marks.MarkUnreadAsync(http.User.GetUserId(), id, body?.MessageId, ct));
    }

    public static async Task<Results<Ok<ReceiptsDto>, ProblemHttpResult>> Receipts(int id, HttpContext http, ReadMarks marks, CancellationToken ct) =>
        await marks.ReceiptsAsync(http.User.GetUserId(), id, ct) is { } receipts
            ? TypedResults.Ok(receipts)
            : Problems.NotFound("Message not found.");

    private static Results<Ok<MarkReadDto>, ValidationProblem, ProblemHttpResult> Answer(ChatResult<MarkReadDto> result) =>
        result.Error is { } e ? e.IsValidation() ? e.ToValidation() : e.ToProblem() : TypedResults.Ok(result.Value!);
}

/// <summary>A JSON body a client may leave out: empty is null, malformed is a 400 naming the field.</summary>
public static class OptionalBody
{
    public static async Task<(T? Body, ValidationProblem? Error)> ReadAsync<T>(HttpContext http, CancellationToken ct) where T : class
    {
        if (http.Request.ContentLength is 0 || (http.Request.ContentLength is null && !http.Request.Headers.TransferEncoding.Any()))
        {
            return (null, null);
        }
        try
        {
            return (await http.Request.ReadFromJsonAsync<T>(Json.Options, ct), null);
        }
        catch (System.Text.Json.JsonException e)
        {
            var field = ProblemDetailsExceptionHandler.FieldFromJsonPath(e.Path);
            return (null, field is null
                ? Problems.Validation("non_field_errors", "Malformed JSON.")
                : Problems.Validation(field, "Invalid value or wrong type."));
        }
        catch (InvalidOperationException)
        {
            return (null, Problems.Validation("non_field_errors", "Send the body as application/json."));
        }
    }
}
