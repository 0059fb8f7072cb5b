-- The user commands. Each works from any buffer inside a project (root = nearest rocky.toml).
local M = {}

function M.register()
  local cli = require('rocky.cli')
  local create = vim.api.nvim_create_user_command
  create('RockyRun', function(o)
    cli.run(o.fargs)
  end, { nargs = '*', desc = 'Rocky: run the project (`rocky run`; extra arguments are passed on)' })
  create('RockyRunModel', function(o)
    cli.run_model(o.args ~= '' and o.args or nil)
  end, { nargs = '?', desc = "Rocky: run this buffer's model (`rocky run --models NAME`)" })
  create('RockyCheck', function()
    cli.check()
  end, { desc = 'Rocky: check the project (`rocky check`) into the quickfix list' })
  create('RockyWarmCache', function()
    cli.terminal({ 'discover', '--with-schemas' })
  end, { desc = 'Rocky: warm the schema cache (`rocky discover --with-schemas`)' })
  create('RockyLineage', function(o)
    require('rocky.lineage').show({ split = o.args == 'split' })
  end, {
    nargs = '?',
    complete = function()
      return { 'float', 'split' }
    end,
    desc = 'Rocky: lineage of the column under the cursor (else the model), as a tree',
  })
  create('RockyRestart', function()
    local clients = vim.lsp.get_clients({ name = 'rocky' })
    for _, client in ipairs(clients) do
      client:stop()
    end
    -- Once stopped, re-enabling attaches a fresh server to every open project buffer.
    vim.wait(3000, function()
      return #vim.lsp.get_clients({ name = 'rocky' }) == 0
    end, 50)
    vim.lsp.enable('rocky', false)
    vim.lsp.enable('rocky')
  end, { desc = 'Rocky: restart the language server' })
end

return M
