using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Switchboard.Features.Tickets;

namespace Switchboard.Infrastructure.OpenApi;

// The query strings of handlers that read HttpRequest.Query themselves, declared by operation id.
// A parameter a handler already binds (or later binds with [AsParameters]) is never declared twice,
// and every paginated answer (Page<T>) gets page and page_size. OpenApiTests check that each
// operation named here exists, so a renamed endpoint cannot leave a stale entry behind.
public static class QueryParameters
{

    public static readonly IReadOnlyDictionary<string, OpenApiParameter[]> ByOperation = new Dictionary<string, OpenApiParameter[]>
    {
        ["users_list"] =
        [
            Text("search", "Part of a username, first name, last name or e-mail address (case-insensitive)."),
        ],
        ["tickets_list"] =
        [
            Integer("project", "Only tickets of this project (one of the caller's)."),
            Choices("status", TicketEnums.Statuses, "Only these statuses: repeat the parameter or separate values with commas."),
            Choices("priority", TicketEnums.Priorities, "Only these priorities: repeat the parameter or separate values with commas."),
            Choices("type", TicketEnums.Types, "Only these types: repeat the parameter or separate values with commas."),
            Text("assignee", "A user id, `me`, or `none` for unassigned tickets."),
            Text("reporter", "A user id or `me`."),
            Text("label", "Only tickets carrying this label (case-insensitive)."),
            Text("search", "Words to find in the title and description, or a ticket key such as SUP-42."),
            Text("ordering", "Comma-separated fields among created_at, updated_at, priority, due_date and number, each with an " +
                "optional leading `-` for descending. Default `-created_at`."),
        ],
        ["chat_rooms_list"] =
        [
            Integer("project", "Only rooms of this project."),
        ],
        ["chat_messages_list"] =
        [
            Integer("room", "The room whose messages to list. Required unless `search` is given; with `search`, narrows the search to this room."),
            Integer("before", "Cursor: the page of messages just older than this message id (paging back through history)."),
            Integer("after", "Cursor: the messages just newer than this message id, oldest first (catching up after a reconnect)."),
            Text("search", "Whole words to find in the caller's rooms; the answer is then ordered newest first and paged with `page`."),
            Integer("page", "Only with `search`: the page number, from 1."),
            Integer("page_size", "Messages per page, default 50, at most 200."),
        ],
        ["chat_attachments_get"] = SignedLink(),
        ["chat_attachments_thumbnail"] = SignedLink(),
    };

    private static readonly OpenApiParameter[] Paging =
    [
        Integer("page", "The page number, from 1. A page past the end answers 404."),
        Integer("page_size", "Items per page, default 50, at most 200."),
    ];

    public static void Apply(OpenApiOperation operation, OpenApiOperationTransformerContext context)
    {
        var declared = new List<OpenApiParameter>();
        if (operation.OperationId is { } id && ByOperation.TryGetValue(id, out var own))
        {
            declared.AddRange(own);
        }
        if (context.Description.SupportedResponseTypes.Any(r => r.Type is { IsGenericType: true } t && t.GetGenericTypeDefinition() == typeof(Page<>)))
        {
            declared.AddRange(Paging);
        }
        if (declared.Count == 0)
        {
            return;
        }
        operation.Parameters ??= [];
        foreach (var parameter in declared)
        {
            var bound = operation.Parameters.FirstOrDefault(p => p.Name == parameter.Name && p.In == ParameterLocation.Query);
            if (bound is null)
            {
                operation.Parameters.Add(parameter);
            }
            else if (bound is OpenApiParameter { Description: null } plain)
            {
                plain.Description = parameter.Description;
            }
        }
    }

    private static OpenApiParameter[] SignedLink() =>
    [
        Integer("u", "Signed links only: the user the link was issued to."),
        Integer("expires", "Signed links only: when the link expires, in Unix seconds."),
        Text("sig", "Signed links only: the signature. Without it, send the bearer token."),
    ];

    private static OpenApiParameter Text(string name, string description) =>
        Query(name, description, new OpenApiSchema { Type = JsonSchemaType.String });

    private static OpenApiParameter Integer(string name, string description) =>
        Query(name, description, new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32" });

    private static OpenApiParameter Choices(string name, string[] values, string description) =>
        Query(name, description, new OpenApiSchema
        {
            Type = JsonSchemaType.Array,
            Items = new OpenApiSchema { Type = JsonSchemaType.String, Enum = [.. values.Select(v => (JsonNode)JsonValue.Create(v))] },
        }, explode: true);

    private static OpenApiParameter Query(string name, string description, OpenApiSchema schema, bool explode = false) => new()
    {
        Name = name,
        In = ParameterLocation.Query,
        Description = description,
        Required = false,
        Schema = schema,
        Style = explode ? ParameterStyle.Form : null,
        Explode = explode,
    };
}
