-- Rocky for Neovim ≥ 0.11: registers the `rocky` language server with vim.lsp.config /
-- vim.lsp.enable (root = nearest rocky.toml; model .sql files and sidecar .toml files), turns on
-- inlay hints (inferred column types), and adds :RockyRun, :RockyRunModel, :RockyCheck,
-- :RockyWarmCache, :RockyLineage and :checkhealth rocky.
local config = require('rocky.config')
local binaries = require('rocky.binaries')

local M = {}

M.name = 'rocky'

--- The running rocky client for a buffer, if any.
---@param bufnr integer|nil
---@return vim.lsp.Client|nil
function M.client(bufnr)
  return vim.lsp.get_clients({ bufnr = bufnr or 0, name = M.name })[1]
end

--- Starts the server in the project root (so it finds rocky.toml and the state file).
local function cmd(dispatchers, client_config)
  local root = client_config and client_config.root_dir or config.root_of(vim.fn.getcwd())
  local path, err = binaries.resolve('rocky-lsp', config.options.server_path, root)
  if not path then
    vim.notify('rocky: ' .. err .. ' — set server_path in require("rocky").setup{}', vim.log.levels.ERROR)
    path = 'rocky-lsp'
  end
  return vim.lsp.rpc.start({ path }, dispatchers, { cwd = root })
end

--- Attach only inside a project: a buffer whose file has a rocky.toml above it. Only model .sql
--- files and .toml files inside such a project qualify (sidecars and rocky.toml itself).
local function root_dir(bufnr, on_dir)
  local name = vim.api.nvim_buf_get_name(bufnr)
  if name == '' then
    return
  end
  local root = config.root_of(name)
  if root then
    on_dir(root)
  end
end

---@param opts rocky.Options|nil
function M.setup(opts)
  config.options = vim.tbl_deep_extend('force', vim.deepcopy(config.defaults), opts or {})
  local options = config.options

  vim.lsp.config(M.name, {
    cmd = cmd,
    filetypes = options.filetypes,
    root_markers = { 'rocky.toml' },
    root_dir = root_dir,
  })
  vim.lsp.enable(M.name)

  local group = vim.api.nvim_create_augroup('rocky', { clear = true })
  vim.api.nvim_create_autocmd('LspAttach', {
    group = group,
    callback = function(args)
      local client = vim.lsp.get_client_by_id(args.data.client_id)
      if not client or client.name ~= M.name then
        return
      end
      if config.options.inlay_hints and client:supports_method('textDocument/inlayHint') then
        vim.lsp.inlay_hint.enable(true, { bufnr = args.buf })
      end
    end,
  })

  require('rocky.commands').register()
end

return M
