using System.ComponentModel;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using NpgsqlTypes;
using Switchboard.Data;
using Switchboard.Features.Chat.Rooms;
using Switchboard.Infrastructure;
using Switchboard.Infrastructure.RateLimiting;
using Switchboard.Infrastructure.Storage;

using Switchboard.Realtime;

namespace Switchboard.Features.Chat.Messages;

public sealed record SendMessageRequest(int? Room, string? Content, string? Type, string? ClientId, int? ThreadRootId, bool? AlsoSendToRoom);
public sealed record EditMessageRequest(string? Content);
public sealed record ReactionRequest(string? Emoji);

public static class MessagesApi
{
    public static RouteGroupBuilder MapChatMessages(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/chat/messages").WithTags("Chat messages").RequireAuthorization().ProducesProblem(401);

        group.MapGet("", List).WithName("chat_messages_list")
            .WithSummary("A room's messages by cursor (?room=, ?before=, ?after=, ?around=), or a full-text ?search= of the caller's rooms")
            .ProducesValidationProblem().ProducesProblem(404);
        group.MapPost("", Send).WithName("chat_messages_send")
            .WithSummary("Send a message as JSON, or as multipart/form-data with an attachment (200 when client_id was seen before)")
            .Produces<MessageDto>(201).Produces<MessageDto>(200)
            .ProducesValidationProblem().ProducesProblem(403).ProducesProblem(404).ProducesProblem(413).ProducesProblem(415).ProducesProblem(429);
        group.MapGet("/{id:int}", Get).WithName("chat_messages_get").WithSummary("One message").ProducesProblem(404);
        group.MapPatch("/{id:int}", Edit).WithName("chat_messages_edit").WithSummary("Edit a message (its author)")
            .ProducesValidationProblem().ProducesProblem(403).ProducesProblem(404);
        group.MapDelete("/{id:int}", Delete).WithName("chat_messages_delete")
            .WithSummary("Delete a message (its author, the room's creator or a project admin)").ProducesProblem(403).ProducesProblem(404);
        group.MapPost("/{id:int}/add_reaction", AddReaction).WithName("chat_messages_add_reaction")
            .WithSummary("React with one emoji; adding it twice is harmless").ProducesValidationProblem().ProducesProblem(403).ProducesProblem(404);
        group.MapPost("/{id:int}/remove_reaction", RemoveReaction).WithName("chat_messages_remove_reaction")
            .WithSummary("Take a reaction back").ProducesValidationProblem().ProducesProblem(403).ProducesProblem(404);
        return group;
    }

    public static async Task<Results<Ok<Page<MessageDto>>, ValidationProblem, ProblemHttpResult>> List(
        [AsParameters] MessageListQuery query, [AsParameters] PageQuery paging, HttpContext http, AppDbContext db, MessageMapper mapper,
        CancellationToken ct)
    {
        var userId = http.User.GetUserId();
        int? roomId = null;
        if (query.Room is { Length: > 0 } roomText)
        {
            if (!int.TryParse(roomText, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
            {
                return Problems.Validation("room", "A valid integer is required.");
            }
            roomId = parsed;
        }
        var search = (query.Search ?? "").Trim();
        if (search.Length > 0)
        {
            return await SearchAsync(paging, http, db, mapper, userId, search, roomId, ct);
        }
        IQueryable<ChatMessage> room;
        if (query.Thread is { Length: > 0 } threadText)
        {
            // A thread: its root, then its replies, with the same cursors as a room.
            if (!int.TryParse(threadText, NumberStyles.None, CultureInfo.InvariantCulture, out var rootId))
            {
                return Problems.Validation("thread", "A valid message id is required.");
            }
            var rootRoom = await db.Set<ChatMessage>().Where(m => m.Id == rootId && m.ThreadRootId == null)
                .Select(m => (int?)m.RoomId).SingleOrDefaultAsync(ct);
            if (rootRoom is null || (roomId is not null && roomId != rootRoom) || await db.RoomAccessAsync(rootRoom.Value, userId, ct) is null)
            {
                return Problems.NotFound("Thread not found.");
            }
            room = db.Set<ChatMessage>().Where(m => m.Id == rootId || m.ThreadRootId == rootId);
        }
        else
        {
            if (roomId is null)
            {
                return Problems.Validation("room", "Give ?room= (or ?thread= or ?search=).");
            }
            if (await db.RoomAccessAsync(roomId.Value, userId, ct) is null)
            {
                return Problems.NotFound("Room not found.");
            }
            // The main timeline: thread replies only when they were also sent to the room.
            room = db.Set<ChatMessage>().Where(m => m.RoomId == roomId && (m.ThreadRootId == null || m.AlsoSendToRoom));
        }

        int? before = null, after = null, around = null;
        foreach (var (name, text, set) in new (string, string?, Action<int>)[]
            { ("before", query.Before, v => before = v), ("after", query.After, v => after = v), ("around", query.Around, v => around = v) })
        {
            if (text is { Length: > 0 })
            {
                if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
                {
                    return Problems.Validation(name, "A valid message id is required.");
                }
                set(value);
            }
        }
        if ((before is null ? 0 : 1) + (after is null ? 0 : 1) + (around is null ? 0 : 1) > 1)
        {
            return Problems.Validation(before is null ? "after" : "before", "Use one of before, after and around.");
        }
        var size = PageSize(paging.PageSize);
        var take = size + 1;

        List<MessageRow> page;
        bool hasOlder, hasNewer;
        if (around is { } aroundId)
        {
            // Jumping to a message far back: a page with the message in its middle, half older, half newer.
            if (!await room.AnyAsync(m => m.Id == aroundId, ct))
            {
                return Problems.NotFound("Message not found.");
            }
            var olderWanted = (size - 1) / 2;
            var newerWanted = size - olderWanted;
            var older = await MessageMapper.ToRows(room.Where(m => m.Id < aroundId).OrderByDescending(m => m.Id).Take(olderWanted + 1))
                .ToListAsync(ct);
            var newer = await MessageMapper.ToRows(room.Where(m => m.Id >= aroundId).OrderBy(m => m.Id).Take(newerWanted + 1))
                .ToListAsync(ct);
            hasOlder = older.Count > olderWanted;
            hasNewer = newer.Count > newerWanted;
            page = [.. older.Take(olderWanted).Reverse(), .. newer.Take(newerWanted)];
        }
        else if (after is { } afterId)
        {
            // Catching up: the oldest messages after the cursor first.
            page = await MessageMapper.ToRows(room.Where(m => m.Id > afterId).OrderBy(m => m.Id).Take(take)).ToListAsync(ct);
            hasNewer = page.Count > size;
            page = page.Take(size).ToList();
            var oldestId = page.Count > 0 ? page[0].Id : 0;
            hasOlder = page.Count > 0 && await room.AnyAsync(m => m.Id < oldestId, ct);
        }
        else
        {
            var newestFirst = before is { } beforeId ? room.Where(m => m.Id < beforeId) : room;
            page = await MessageMapper.ToRows(newestFirst.OrderByDescending(m => m.Id).Take(take)).ToListAsync(ct);
            hasOlder = page.Count > size;
            page = page.Take(size).Reverse().ToList();
            var newestId = page.Count > 0 ? page[^1].Id : 0;
            hasNewer = before is not null && page.Count > 0 && await room.AnyAsync(m => m.Id > newestId, ct);
        }
        var count = await room.CountAsync(ct);
        return TypedResults.Ok(new Page<MessageDto>(
            count,
            hasNewer ? CursorLink(http.Request, "after", page[^1].Id) : null,
            hasOlder ? CursorLink(http.Request, "before", page[0].Id) : null,
            await mapper.ToDtosAsync(db, page, userId, ct)));
    }

    private static async Task<Results<Ok<Page<MessageDto>>, ValidationProblem, ProblemHttpResult>> SearchAsync(
        PageQuery paging, HttpContext http, AppDbContext db, MessageMapper mapper, int userId, string search, int? roomId, CancellationToken ct)
    {
        if (!PageRequest.TryParse(paging, out var pageRequest, out var error))
        {
            return Problems.NotFound(error!);
        }
        if (search.Length > 500)
        {
            return Problems.Validation("search", "Ensure this field has no more than 500 characters.");
        }
        // Only rooms the caller is in right now: leaving a room ends finding its messages.
        var myRooms = db.RoomIdsOf(userId);
        var messages = db.Set<ChatMessage>().Where(m => myRooms.Contains(m.RoomId));
        if (roomId is not null)
        {
            messages = messages.Where(m => m.RoomId == roomId);
        }
        var words = MessageSearchSql.Words(search);
        if (words.Count == 0)
        {
            messages = messages.Where(m => false);
        }
        else if (db.IsPostgres)
        {
            var terms = string.Join(' ', words);
            messages = messages.Where(m => EF.Property<NpgsqlTsVector>(m, ChatMessageConfiguration.SearchVector)
                .Matches(EF.Functions.PlainToTsQuery("simple", terms)));
        }
        else
        {
            var match = MessageSearchSql.FtsMatch(words);
            var hits = db.Database.SqlQuery<int>(
                $"SELECT rowid AS \"Value\" FROM chat_messages_fts WHERE chat_messages_fts MATCH {match}");
            messages = messages.Where(m => hits.Contains(m.Id));
        }
        // The ids of the matches are read in one pass over the index hits, for both the count and
        // the page (a count and a page query would each make that pass); only a search with more
        // matches than SinglePassMatches counts separately. The page's messages are then read by key.
        var newestFirst = messages.OrderByDescending(m => m.Id).Select(m => m.Id);
        var ids = await newestFirst.Take(SinglePassMatches + 1).ToListAsync(ct);
        var count = ids.Count <= SinglePassMatches ? ids.Count : await messages.CountAsync(ct);
        var result = await Paging.PageAsync<MessageDto>(http.Request, pageRequest, count, async (skip, take) =>
        {
            var pageIds = ids.Count <= SinglePassMatches || skip + take <= ids.Count
                ? ids.Skip(skip).Take(take).ToList()
                : await newestFirst.Skip(skip).Take(take).ToListAsync(ct);
            var rows = await MessageMapper.ToRows(db.Set<ChatMessage>().Where(m => pageIds.Contains(m.Id))).ToListAsync(ct);
            return await mapper.ToDtosAsync(db, rows.OrderByDescending(r => r.Id).ToList(), userId, ct);
        });
        return result is null ? Problems.NotFound("Invalid page.") : TypedResults.Ok(result);
    }

    // Up to this many matches, one query gives both the count and the page.
    private const int SinglePassMatches = 5_000;

    private static int PageSize(string? text)
    {
        return text is { Length: > 0 } && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var size) && size > 0
            ? Math.Min(size, PageRequest.MaxSize)
            : PageRequest.DefaultSize;
    }

    private static string CursorLink(HttpRequest request, string cursor, int id)
    {
        var query = request.Query.Where(q => q.Key is not ("before" or "after" or "around" or "page"))
            .ToDictionary(q => q.Key, q => q.Value);
        query[cursor] = new StringValues(id.ToString(CultureInfo.InvariantCulture));
        return Paging.LinkWith(request, query);
    }

    public static async Task<Results<Ok<MessageDto>, ProblemHttpResult>> Get(int id, HttpContext http, AppDbContext db, ChatService chat,
        CancellationToken ct)
    {
        var userId = http.User.GetUserId();
        var roomId = await db.Set<ChatMessage>().Where(m => m.Id == id).Select(m => (int?)m.RoomId).SingleOrDefaultAsync(ct);
        if (roomId is null || await db.RoomAccessAsync(roomId.Value, userId, ct) is null)
        {
            return Problems.NotFound("Message not found.");
        }
        var dto = await chat.LoadAsync(id, userId, ct);
        return dto is null ? Problems.NotFound("Message not found.") : TypedResults.Ok(dto);
    }

    public static async Task<Results<Created<MessageDto>, Ok<MessageDto>, ValidationProblem, ProblemHttpResult>> Send(
        HttpContext http, ChatService chat, IFileStorage storage, ChatRateLimiter limiter, IOptions<SwitchboardOptions> options,
        CancellationToken ct)
    {
        var userId = http.User.GetUserId();
        // The same per-user budget as socket sends, checked before an upload is read.
        if (await limiter.AcquireAsync(userId, ct) is { Allowed: false } limited)
        {
            return Problems.TooManyRequests(limited.RetryAfterSeconds, http);
        }
        SendMessageInput input;
        if (MultipartUpload.IsMultipart(http.Request))
        {
            var maxBytes = options.Value.Uploads.MaxBytes;
            var (form, failure) = await MultipartUpload.ReadAsync(http.Request, storage, maxBytes, ct);
            if (form is null)
            {
                return failure switch
                {
                    UploadFailure.TooLarge => TypedResults.Problem($"The file is larger than the limit of {maxBytes} bytes.",
                        statusCode: StatusCodes.Status413PayloadTooLarge, title: "Payload Too Large"),
                    UploadFailure.TooManyFiles => Problems.Validation("attachment", "Send one file per message."),
                    UploadFailure.DiskFull => MultipartUpload.DiskFullProblem(),
                    _ => Problems.BadRequest("The multipart body could not be read."),
                };
            }
            if (form.File is { FieldName: not "attachment" } stray)
            {
                await storage.DeleteAsync(stray.Stored.StorageKey, CancellationToken.None);
                return Problems.Validation("attachment", "Send the file in the field named attachment.");
            }
            var room = form.Fields.GetValueOrDefault("room");
            if (!int.TryParse(room, NumberStyles.None, CultureInfo.InvariantCulture, out var roomId))
            {
                if (form.File is not null)
                {
                    await storage.DeleteAsync(form.File.Stored.StorageKey, CancellationToken.None);
                }
                return Problems.Validation("room", room is null ? "This field is required." : "A valid integer is required.");
            }
            if (form.Fields.FirstOrDefault(f => TextInput.HasNul(f.Value)).Key is { } withNul)
            {
                if (form.File is not null)
                {
                    await storage.DeleteAsync(form.File.Stored.StorageKey, CancellationToken.None);
                }
                return Problems.Validation(withNul, TextInput.NulMessage);
            }
            int? threadRootId = null;
            if (form.Fields.GetValueOrDefault("thread_root_id") is { Length: > 0 } rootText)
            {
                if (!int.TryParse(rootText, NumberStyles.None, CultureInfo.InvariantCulture, out var parsedRoot))
                {
                    if (form.File is not null)
                    {
                        await storage.DeleteAsync(form.File.Stored.StorageKey, CancellationToken.None);
                    }
                    return Problems.Validation("thread_root_id", "A valid integer is required.");
                }
                threadRootId = parsedRoot;
            }
            var alsoToRoom = form.Fields.GetValueOrDefault("also_send_to_room") is "true" or "True" or "1";
            input = new SendMessageInput(roomId, form.Fields.GetValueOrDefault("content"), form.Fields.GetValueOrDefault("type"),
                form.Fields.GetValueOrDefault("client_id"), form.File, threadRootId, alsoToRoom, form.Fields.GetValueOrDefault("waveform"));
        }
        else if (http.Request.HasJsonContentType())
        {
            SendMessageRequest? body;
            try
            {
                body = await http.Request.ReadFromJsonAsync<SendMessageRequest>(Json.Options, ct);
            }
            catch (JsonException e)
            {
                var field = ProblemDetailsExceptionHandler.FieldFromJsonPath(e.Path);
                return field is null
                    ? Problems.Validation("non_field_errors", "Malformed JSON.")
                    : Problems.Validation(field, "Invalid value or wrong type.");
            }
            if (body?.Room is not { } roomId)
            {
                return Problems.Validation("room", "This field is required.");
            }
            input = new SendMessageInput(roomId, body.Content, body.Type, body.ClientId,
                ThreadRootId: body.ThreadRootId, AlsoSendToRoom: body.AlsoSendToRoom ?? false);
        }
        else
        {
            return TypedResults.Problem("Send the message as application/json or multipart/form-data.",
                statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported Media Type");
        }

        var result = await chat.SendAsync(userId, input, ct);
        if (result.Error is { } error)
        {
            return error.IsValidation() ? error.ToValidation() : error.ToProblem();
        }
        return result.Created
            ? TypedResults.Created($"/api/chat/messages/{result.Value!.Id}/", result.Value)
            : TypedResults.Ok(result.Value!);
    }

    public static async Task<Results<Ok<MessageDto>, ValidationProblem, ProblemHttpResult>> Edit(
        int id, EditMessageRequest body, HttpContext http, ChatService chat, CancellationToken ct)
    {
        var result = await chat.EditAsync(http.User.GetUserId(), id, body.Content, ct);
        return result.Error is { } error ? error.IsValidation() ? error.ToValidation() : error.ToProblem() : TypedResults.Ok(result.Value!);
    }

    public static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> Delete(int id, HttpContext http, ChatService chat,
        CancellationToken ct)
    {
        var result = await chat.DeleteAsync(http.User.GetUserId(), id, ct);
        return result.Error is { } error ? error.IsValidation() ? error.ToValidation() : error.ToProblem() : TypedResults.NoContent();
    }

    public static async Task<Results<Ok<MessageDto>, ValidationProblem, ProblemHttpResult>> AddReaction(
        int id, ReactionRequest body, HttpContext http, ChatService chat, CancellationToken ct)
    {
        var result = await chat.AddReactionAsync(http.User.GetUserId(), id, body.Emoji, ct);
        return result.Error is { } error ? error.IsValidation() ? error.ToValidation() : error.ToProblem() : TypedResults.Ok(result.Value!);
    }

    public static async Task<Results<Ok<MessageDto>, ValidationProblem, ProblemHttpResult>> RemoveReaction(
        int id, ReactionRequest body, HttpContext http, ChatService chat, CancellationToken ct)
    {
        var result = await chat.RemoveReactionAsync(http.User.GetUserId(), id, body.Emoji, ct);
        return result.Error is { } error ? error.IsValidation() ? error.ToValidation() : error.ToProblem() : TypedResults.Ok(result.Value!);
    }
}

public static class ChatErrorHttp
{
    public static bool IsValidation(this ChatError error) => error.Code == ErrorCodes.Validation;

    public static ValidationProblem ToValidation(this ChatError error) =>
        Problems.Validation(error.Errors!.ToDictionary(e => e.Key, e => e.Value));

    /// <summary>The REST answer for a non-validation chat error: 403 or 404.</summary>
    public static ProblemHttpResult ToProblem(this ChatError error) =>
        error.Code == ErrorCodes.Forbidden ? Problems.Forbidden(error.Detail) : Problems.NotFound(error.Detail);

    /// <summary>The socket answer for the same error: the same code.</summary>
    public static ErrorFrame ToFrame(this ChatError error, string? clientId = null) => new(error.Code, error.Detail, clientId);
}

// The list's query string. Text, not int: the handler answers a bad value with a problem naming
// the parameter, where binding an int would answer a bare 400.
public sealed class MessageListQuery
{
    [FromQuery(Name = "room"), Description("The room whose messages to list (an id). Required unless `thread` or `search` is given; with `search`, narrows the search to this room.")]
    public string? Room { get; init; }

    [FromQuery(Name = "thread"), Description("A thread root's message id: the root, then its replies, with the same cursors as a room.")]
    public string? Thread { get; init; }

    [FromQuery(Name = "before"), Description("Cursor: the page of messages just older than this message id (paging back through history).")]
    public string? Before { get; init; }

    [FromQuery(Name = "after"), Description("Cursor: the messages just newer than this message id, oldest first (catching up after a reconnect).")]
    public string? After { get; init; }

    [FromQuery(Name = "around"), Description("Cursor: a page with this message id in its middle (jumping to a message far back).")]
    public string? Around { get; init; }

    [FromQuery(Name = "search"), Description("Whole words to find in the caller's rooms; the answer is then ordered newest first and paged with `page`.")]
    public string? Search { get; init; }
}
