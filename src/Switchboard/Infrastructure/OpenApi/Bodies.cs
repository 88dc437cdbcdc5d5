using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Switchboard.Features.Tickets;

namespace Switchboard.Infrastructure.OpenApi;

// Request and response bodies the generator cannot see: tickets read their JSON by hand (so that an
// absent field and null differ), message sends and uploads read multipart themselves, and file
// downloads answer a stream.
public static class Bodies
{
    public static readonly IReadOnlySet<string> Operations = new HashSet<string>
    {
        "tickets_create", "tickets_update", "chat_messages_send", "tickets_attachments_upload",
        "tickets_attachments_download", "chat_attachments_get", "chat_attachments_thumbnail",
        "chat_messages_create_ticket", "tickets_discussion", "chat_rooms_ticket_feed_put",
    };

    public static void Apply(OpenApiOperation operation, OpenApiOperationTransformerContext context)
    {
        switch (operation.OperationId)
        {
            case "tickets_create":
                operation.RequestBody = Json(TicketFields(create: true));
                break;
            case "tickets_update":
                operation.RequestBody = Json(TicketFields(create: false));
                break;
            case "chat_messages_send":
                operation.RequestBody = new OpenApiRequestBody
                {
                    Required = true,
                    Content = new Dictionary<string, OpenApiMediaType>
                    {
                        ["application/json"] = new() { Schema = MessageFields(multipart: false) },
                        ["multipart/form-data"] = new() { Schema = MessageFields(multipart: true) },
                    },
                };
                break;
            case "tickets_attachments_upload":
                operation.RequestBody = new OpenApiRequestBody
                {
                    Required = true,
                    Content = new Dictionary<string, OpenApiMediaType>
                    {
                        ["multipart/form-data"] = new()
                        {
                            Schema = Object(new() { ["file"] = Binary("The file.") }, "file"),
                        },
                    },
                };
                operation.Responses ??= [];
                operation.Responses["201"] = new OpenApiResponse
                {
                    Description = "The attachment",
                    Content = new Dictionary<string, OpenApiMediaType>
                    {
                        ["application/json"] = new() { Schema = new OpenApiSchemaReference("AttachmentDto", context.Document) },
                    },
                };
                break;
            case "chat_messages_create_ticket":
                operation.RequestBody = Json(Object(new()
                {
                    ["title"] = String("1 to 200 characters; default: the first line of the message's text."),
                    ["type"] = Enum("Default task.", TicketEnums.Types),
                    ["priority"] = Enum("Default medium.", TicketEnums.Priorities),
                    ["assignee_id"] = Nullable(Int("A member of the room's project.")),
                    ["include_thread"] = new OpenApiSchema { Type = JsonSchemaType.Boolean, Description = "Quote the whole thread (root and replies), not only the message. Default false." },
                }));
                break;
            case "tickets_discussion":
                operation.RequestBody = Json(Object(new() { ["room"] = Int("A room of the ticket's project that the caller may write in.") }, "room"));
                break;
            case "chat_rooms_ticket_feed_put":
                operation.RequestBody = Json(Object(new()
                {
                    ["project"] = Int("The room's own project."),
                    ["events"] = new OpenApiSchema
                    {
                        Type = JsonSchemaType.Array,
                        Description = "At least one of the events to post as system messages.",
                        Items = Enum("A ticket event.", Features.TicketsInChat.TicketFeedEvents.All),
                    },
                }, "project", "events"));
                break;
            case "tickets_attachments_download" or "chat_attachments_get" or "chat_attachments_thumbnail":
                operation.Responses ??= [];
                operation.Responses["200"] = new OpenApiResponse
                {
                    Description = "The file: images with their own content type, anything else as a download",
                    Content = new Dictionary<string, OpenApiMediaType>
                    {
                        ["application/octet-stream"] = new() { Schema = Binary("The file's bytes.") },
                    },
                };
                break;
        }
    }

    private static OpenApiRequestBody Json(OpenApiSchema schema) => new()
    {
        Required = true,
        Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = schema } },
    };

    private static OpenApiSchema TicketFields(bool create)
    {
        var fields = new Dictionary<string, IOpenApiSchema>
        {
            ["title"] = String("1 to 200 characters (trimmed)."),
            ["description"] = Nullable(String("Up to 20,000 characters; null is the same as empty.")),
            ["status"] = Enum("Default open on create.", TicketEnums.Statuses),
            ["priority"] = Enum("Default medium on create.", TicketEnums.Priorities),
            ["type"] = Enum("Default task on create.", TicketEnums.Types),
            ["assignee_id"] = Nullable(Int("A member of the ticket's project; null unassigns.")),
            ["labels"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Array,
                Description = "Up to 20 labels of 1 to 50 characters; duplicates (ignoring case) are dropped.",
                Items = new OpenApiSchema { Type = JsonSchemaType.String },
            },
            ["due_date"] = Nullable(new OpenApiSchema { Type = JsonSchemaType.String, Format = "date", Description = "YYYY-MM-DD." }),
        };
        if (create)
        {
            fields["project"] = Int("The project the ticket goes into.");
            return Object(fields, "project", "title");
        }
        return Object(fields);
    }

    private static OpenApiSchema MessageFields(bool multipart)
    {
        var fields = new Dictionary<string, IOpenApiSchema>
        {
            ["room"] = Int("The room to send to."),
            ["content"] = String("Up to 10,000 characters; a text message needs some non-blank text."),
            ["type"] = Enum("text (default), image or file.", "text", "image", "file"),
            ["client_id"] = String("Up to 64 characters chosen by the client; sending again with the same value returns the first message (200)."),
        };
        if (multipart)
        {
            fields["attachment"] = Binary("The file of an image or file message (one file).");
        }
        return Object(fields, "room");
    }

    private static OpenApiSchema Object(Dictionary<string, IOpenApiSchema> properties, params string[] required) => new()
    {
        Type = JsonSchemaType.Object,
        Properties = properties,
        Required = new HashSet<string>(required),
    };

    private static OpenApiSchema String(string description) => new() { Type = JsonSchemaType.String, Description = description };

    private static OpenApiSchema Int(string description) => new() { Type = JsonSchemaType.Integer, Format = "int32", Description = description };

    private static OpenApiSchema Binary(string description) => new() { Type = JsonSchemaType.String, Format = "binary", Description = description };

    private static OpenApiSchema Nullable(OpenApiSchema schema)
    {
        schema.Type |= JsonSchemaType.Null;
        return schema;
    }

    private static OpenApiSchema Enum(string description, params string[] values) => new()
    {
        Type = JsonSchemaType.String,
        Description = description,
        Enum = [.. values.Select(v => (JsonNode)JsonValue.Create(v))],
    };
}
