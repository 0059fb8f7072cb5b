-- The plugin's options (set by require('rocky').setup) and the project-root rule.
local M = {}

---@class rocky.Options
---@field server_path string|nil  rocky-lsp binary (default: PATH, then target/{release,debug})
---@field cli_path string|nil     rocky CLI binary (same search)
---@field inlay_hints boolean     show inferred column types as inlay hints (default true)
---@field filetypes string[]      filetypes the server attaches to (models and sidecars)
---@field lineage_direction string 'both' | 'upstream' | 'downstream' (for :RockyLineage)
M.defaults = {
  server_path = nil,
  cli_path = nil,
  inlay_hints = true,
  filetypes = { 'sql', 'toml' },
  lineage_direction = 'both',
}

---@type rocky.Options
M.options = vim.deepcopy(M.defaults)

--- The project root of a file or directory: the nearest folder with a rocky.toml, or nil.
---@param path string
---@return string|nil
function M.root_of(path)
  if path == nil or path == '' or path:match('^%a[%w+.-]*://') then
    path = vim.fn.getcwd()
  end
  local root = vim.fs.root(vim.fn.fnamemodify(path, ':p'), 'rocky.toml')
  return root and vim.fs.normalize(vim.fn.fnamemodify(root, ':p')) or nil
end

--- The project root for a buffer (its file; for an unnamed or non-file buffer such as
--- health:// or a terminal, the working directory).
---@param bufnr integer|nil
function M.root_of_buf(bufnr)
  return M.root_of(vim.api.nvim_buf_get_name(bufnr or 0))
end

return M
