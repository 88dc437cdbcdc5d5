using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Switchboard.Data;
using Switchboard.Features.Chat.Messages;
using Switchboard.Infrastructure;

namespace Switchboard.Features.Calls;

public static class CallsApi
{
    public static void MapCalls(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/api/chat/rooms/{roomId:int}/calls", Start).WithTags("Calls").RequireAuthorization()
            .WithName("chat_calls_start").WithSummary("Start an audio or video call in the room; rings everyone else in it")
            .ProducesProblem(401).ProducesValidationProblem().ProducesProblem(403).ProducesProblem(404).ProducesProblem(409);

        var calls = routes.MapGroup("/api/chat/calls").WithTags("Calls").RequireAuthorization().ProducesProblem(401).ProducesProblem(404);
        calls.MapGet("/{callId:int}", Get).WithName("chat_calls_get").WithSummary("A call of one of the caller's rooms");
        calls.MapPost("/{callId:int}/join", Join).WithName("chat_calls_join")
            .WithSummary("Join (or answer) the call; 409 when it ended or is full").ProducesProblem(409);
        calls.MapPost("/{callId:int}/leave", Leave).WithName("chat_calls_leave")
            .WithSummary("Leave the call; the last one out ends it");
        calls.MapPost("/{callId:int}/decline", Decline).WithName("chat_calls_decline")
            .WithSummary("Decline a call ringing for the caller; in a direct room this ends it").ProducesProblem(409);

        routes.MapGet("/api/calls/ice_servers", GetIceServers).WithTags("Calls").RequireAuthorization().ProducesProblem(401)
            .WithName("calls_ice_servers").WithSummary("STUN/TURN servers for calls, with short-lived TURN credentials");
    }

    public static async Task<Results<Created<CallDto>, ValidationProblem, ProblemHttpResult>> Start(int roomId, StartCallRequest body,
        HttpContext http, CallService calls, AppDbContext db, CancellationToken ct)
    {
        var result = await calls.StartAsync(http.User.GetUserId(), roomId, body.Media, ct);
        if (result.Error is { Code: ErrorCodes.Conflict } conflict)
        {
            // Only people in the room get this far: tell them which call to join instead.
            var open = await db.Set<Call>().Where(c => c.OpenRoomId == roomId).Select(c => (int?)c.Id).FirstOrDefaultAsync(ct);
            return TypedResults.Problem(conflict.Detail, statusCode: StatusCodes.Status409Conflict, title: "Conflict",
                extensions: open is null ? null : new Dictionary<string, object?> { ["call_id"] = open });
        }
        if (result.Error is { } error)
        {
            return error.IsValidation() ? error.ToValidation() : Problem(error);
        }
        return TypedResults.Created($"/api/chat/calls/{result.Value!.Id}/", result.Value);
    }

    public static async Task<Results<Ok<CallDto>, ProblemHttpResult>> Get(int callId, HttpContext http, CallService calls, CancellationToken ct) =>
        Answer(await calls.GetAsync(http.User.GetUserId(), callId, ct));

    public static async Task<Results<Ok<CallDto>, ProblemHttpResult>> Join(int callId, HttpContext http, CallService calls, CancellationToken ct) =>
        Answer(await calls.JoinAsync(http.User.GetUserId(), callId, ct));

    public static async Task<Results<Ok<CallDto>, ProblemHttpResult>> Leave(int callId, HttpContext http, CallService calls, CancellationToken ct) =>
        Answer(await calls.LeaveAsync(http.User.GetUserId(), callId, ct));

    public static async Task<Results<Ok<CallDto>, ProblemHttpResult>> Decline(int callId, HttpContext http, CallService calls, CancellationToken ct) =>
        Answer(await calls.DeclineAsync(http.User.GetUserId(), callId, ct));

    public static Ok<IceServersDto> GetIceServers(HttpContext http, IOptions<SwitchboardOptions> options, TimeProvider clock) =>
        TypedResults.Ok(IceServers.For(http.User.GetUserId(), options.Value.Calls, clock.GetUtcNow()));

    private static Results<Ok<CallDto>, ProblemHttpResult> Answer(ChatResult<CallDto> result) =>
        result.Error is { } error ? Problem(error) : TypedResults.Ok(result.Value!);

    private static ProblemHttpResult Problem(ChatError error) =>
        error.Code == ErrorCodes.Conflict ? Problems.Conflict(error.Detail) : error.ToProblem();
}
