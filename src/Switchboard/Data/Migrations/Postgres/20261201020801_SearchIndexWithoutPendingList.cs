using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Switchboard.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class SearchIndexWithoutPendingList : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The same index without its pending list (docs/decisions/1610-fan-out-cost-per-delivery.md):
            // changed in place rather than rebuilt, so an upgrade does not re-index every message, and
            // the entries already waiting in the list are merged now rather than by the next send.
            migrationBuilder.Sql("""ALTER INDEX "IX_chat_messages_SearchVector" SET (fastupdate = false);""");
            migrationBuilder.Sql("""SELECT gin_clean_pending_list('"IX_chat_messages_SearchVector"'::regclass);""");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""ALTER INDEX "IX_chat_messages_SearchVector" RESET (fastupdate);""");
        }
    }
}
