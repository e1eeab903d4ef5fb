using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Platform.ResourceServer.Storage.Migrations
{
    /// <inheritdoc />
    public partial class InitialRevocations : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "resource_server_revocations",
                columns: table => new
                {
                    kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    subject_id = table.Column<Guid>(type: "uuid", nullable: false),
                    user_id = table.Column<Guid>(type: "uuid", nullable: false),
                    revoked_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    expires_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_resource_server_revocations", x => new { x.kind, x.subject_id });
                });

            migrationBuilder.CreateIndex(
                name: "IX_resource_server_revocations_expires_at",
                table: "resource_server_revocations",
                column: "expires_at");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "resource_server_revocations");
        }
    }
}
