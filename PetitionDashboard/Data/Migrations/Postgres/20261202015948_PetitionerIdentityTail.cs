using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PetitionDashboard.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class PetitionerIdentityTail : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Petitioners_IdentityKey",
                table: "Petitioners");

            migrationBuilder.AddColumn<string>(
                name: "IdentityTail",
                table: "Petitioners",
                type: "text",
                nullable: true,
                computedColumnSql: "right(\"IdentityKey\", 11)",
                stored: true,
                collation: "C");

            migrationBuilder.CreateIndex(
                name: "IX_Petitioners_IdentityTail",
                table: "Petitioners",
                column: "IdentityTail");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Petitioners_IdentityTail",
                table: "Petitioners");

            migrationBuilder.DropColumn(
                name: "IdentityTail",
                table: "Petitioners");

            migrationBuilder.CreateIndex(
                name: "IX_Petitioners_IdentityKey",
                table: "Petitioners",
                column: "IdentityKey");
        }
    }
}
